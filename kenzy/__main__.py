"""``python -m kenzy``: the same as the ``kenzy`` command."""

from kenzy.cli import main

main()

# The kenzy image the Kubernetes runtime runs in a site's namespace: the backup CronJob
# (`kenzy backup run-due --site SUBDOMAIN`). It needs kenzy and `mariadb-dump`, and runs as
# the non-root user 1000 with a read-only root filesystem (/tmp is an emptyDir).
#
#   docker build -t kenzy:0.1.0 .      # the tag K8sOptions.kenzy_image expects by default
#   kind load docker-image kenzy:0.1.0 # or push it and set KENZY_K8S_KENZY_IMAGE
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends mariadb-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 1000 --create-home --shell /usr/sbin/nologin kenzy

COPY pyproject.toml README.md /src/
COPY kenzy /src/kenzy
COPY acf_blueprints /src/acf_blueprints
COPY prompts /src/prompts
RUN pip install --no-cache-dir /src && rm -rf /src

USER 1000
ENV HOME=/tmp PYTHONDONTWRITEBYTECODE=1
ENTRYPOINT ["kenzy"]
CMD ["--help"]

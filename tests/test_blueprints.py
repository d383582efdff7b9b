"""Blueprints: every shipped one passes the checker; broken ones fail with the right message."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kenzy import blueprints
from kenzy._resources import data_dir
from kenzy.content import BRIEF_OWNED, content_model

SHIPPED = sorted(p for p in data_dir("acf_blueprints").glob("*.json") if p.name != "_schema.json")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_blueprints_pass(path: Path) -> None:
    assert blueprints.check_file(path) == []


def test_industries_and_field_types() -> None:
    assert {"restaurante", "advocacia", "saude"} <= set(blueprints.industries())
    assert len(blueprints.industries()) >= 6
    used = {f["type"] for bp in blueprints.all_blueprints() for g in bp.field_groups
            for _, f in blueprints.iter_fields(g["fields"])}
    assert used == blueprints.FIELD_TYPES  # every supported type is used somewhere
    required = {
        "restaurante": {"pratos", "categorias_menu", "horarios", "delivery", "reservas", "cozinha"},
        "advocacia": {"areas_atuacao", "oab", "consultas", "casos_sucesso", "equipe"},
        "saude": {"especialidades", "convenios", "crm", "medicos", "procedimentos"},
    }
    for industry, names in required.items():
        fields = {f["name"] for g in blueprints.get(industry).field_groups for f in g["fields"]}
        assert names <= fields, industry
    options = {i: {o.id for o in blueprints.get(i).options} for i in required}
    assert {"whatsapp", "pix", "ifood"} <= options["restaurante"]
    assert {"agendamento", "lgpd"} <= options["advocacia"]
    assert {"telemedicina", "agendamento"} <= options["saude"]
    for industry in required:
        assert len(blueprints.get(industry).templates) >= 2


def _mutated(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    doc = json.loads((data_dir("acf_blueprints") / "restaurante.json").read_text())
    doc = copy.deepcopy(doc)
    change(doc)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc))
    return path


def _field(doc: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(f for f in doc["field_groups"][0]["fields"] if f["name"] == name)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: _field(d, "pratos").update(type="repeter"), "fields[3] (pratos): unknown field type 'repeter'"),
        (lambda d: _field(d, "menu_intro").update(key=_field(d, "pratos")["key"]), "duplicate key 'field_restaurante_pratos'"),
        (lambda d: _field(d, "menu_intro").update(key="field_base_sobre"), "duplicate key 'field_base_sobre'"),
        (lambda d: _field(d, "menu_intro").update(name="Menu Intro"), "invalid name 'Menu Intro'"),
        (lambda d: _field(d, "menu_intro").update(name="pratos"), "duplicate field name 'pratos'"),
        (lambda d: d.pop("label_pt"), "missing required 'label_pt'"),
        (lambda d: d.pop("schema_type"), "missing required 'schema_type'"),
        (lambda d: d.update(templates=[]), "templates"),
        (lambda d: _field(d, "pratos").update(min=20, max=4), "min 20 is greater than max 4"),
        (lambda d: _field(d, "cozinha").pop("choices"), "a select needs choices"),
        (lambda d: _field(d, "pratos").pop("sub_fields"), "a repeater needs sub_fields"),
        (lambda d: d["options"].append(dict(d["options"][0])), "duplicate option id 'ifood'"),
    ],
)
def test_broken_blueprints_fail_clearly(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    problems = blueprints.check_file(_mutated(tmp_path, change))
    assert problems, "the checker accepted a broken blueprint"
    assert all(p.startswith("broken.json: ") for p in problems), problems
    assert any(message in p for p in problems), problems


def test_invalid_json_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "oops.json"
    path.write_text('{"industry": "x",,}')
    assert blueprints.check_file(path) == [
        "oops.json: not valid JSON: Expecting property name enclosed in double quotes at line 1"
    ]


def test_cli_check_and_list(tmp_path: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "kenzy", "blueprints", "check"], capture_output=True, text=True)
    assert ok.returncode == 0 and "restaurante.json" in ok.stdout
    bad = _mutated(tmp_path, lambda d: _field(d, "pratos").update(type="repeter"))
    result = subprocess.run([sys.executable, "-m", "kenzy", "blueprints", "check", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1 and "unknown field type 'repeter'" in result.stderr
    listed = json.loads(subprocess.run([sys.executable, "-m", "kenzy", "blueprints", "list", "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    assert {b["industry"] for b in listed["blueprints"]} == set(blueprints.industries())


@pytest.mark.parametrize("industry", blueprints.industries())
def test_content_model_follows_the_blueprint(industry: str) -> None:
    bp = blueprints.get(industry)
    model = content_model(bp)
    schema = model.model_json_schema()
    top = {f["name"]: f for g in bp.field_groups for f in g["fields"]}
    for name, spec in schema["properties"].items():
        assert name in top and name not in BRIEF_OWNED
    for name, field in top.items():
        if field["type"] == "repeater" and name in schema["properties"]:
            prop = schema["properties"][name]
            assert prop.get("minItems", 0) == int(field.get("min") or 0)
            assert prop.get("maxItems") == int(field["max"])
        if field["type"] == "text" and name in schema["properties"] and field.get("maxlength"):
            assert schema["properties"][name]["maxLength"] == field["maxlength"]
    assert "hero_imagem" not in schema["properties"] and "opcoes" not in schema["properties"]

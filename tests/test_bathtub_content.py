"""The bathtub's content: the model decides who is right; bad paths and texts are refused."""

from __future__ import annotations

import copy

import pytest
import yaml
from pydantic import ValidationError

from kiosk.content.bathtub import BathtubScreen


@pytest.fixture
def spec(shipped_content_path) -> dict:
    data = yaml.safe_load(shipped_content_path.read_text(encoding="utf-8"))
    return next(s for s in data["screens"] if s["type"] == "bathtub")


def test_the_shipped_question_is_answered_by_the_model(spec):
    screen = BathtubScreen.model_validate(spec)
    assert screen.question_outcome() == "rises"


def test_asking_about_another_path_changes_the_right_answer(spec):
    s = copy.deepcopy(spec)
    s["question"]["path"] = "net_negative"
    assert BathtubScreen.model_validate(s).question_outcome() == "falls"


def test_a_question_no_answer_can_get_right_is_refused(spec):
    s = copy.deepcopy(spec)
    s["question"]["answers"] = [a for a in s["question"]["answers"] if a["outcome"] != "rises"]
    with pytest.raises(ValidationError, match="the model shows the level 'rises' on path 'today'"):
        BathtubScreen.model_validate(s)


def test_an_unknown_path_and_a_missing_number_are_refused(spec):
    s = copy.deepcopy(spec)
    s["question"]["path"] = "tomorrow"
    with pytest.raises(ValidationError, match="question.path 'tomorrow' is not a path id"):
        BathtubScreen.model_validate(s)
    s = copy.deepcopy(spec)
    s["texts"]["budget_left"]["de"] = "Restbudget für 1,5 °C"
    with pytest.raises(ValidationError, match="the 'de' text has no {gt}"):
        BathtubScreen.model_validate(s)


def test_paths_are_data_an_operator_can_add_to(spec):
    s = copy.deepcopy(spec)
    s["paths"].append(
        {
            "id": "fast_cuts",
            "label": {"en": "Halve emissions by 2035"},
            "emissions": [{"year": 2025, "gt": 42.2}, {"year": 2035, "gt": 21.1}, {"year": 2060, "gt": 0}],
            "source": "illustrative path",
        }
    )
    screen = BathtubScreen.model_validate(s)
    assert [p.id for p in screen.paths][-1] == "fast_cuts"
    s["paths"].append(dict(s["paths"][-1], id="sixth"))
    with pytest.raises(ValidationError):  # at most five large choices
        BathtubScreen.model_validate(s)


def test_years_must_go_up_and_stay_in_2025_2100(spec):
    s = copy.deepcopy(spec)
    s["paths"][1]["emissions"] = [{"year": 2050, "gt": 5}, {"year": 2025, "gt": 42.2}]
    with pytest.raises(ValidationError, match="years must go up"):
        BathtubScreen.model_validate(s)
    s = copy.deepcopy(spec)
    s["paths"][1]["emissions"] = [{"year": 2150, "gt": 5}]
    with pytest.raises(ValidationError):
        BathtubScreen.model_validate(s)

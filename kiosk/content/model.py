"""The typed content model: what `content.yaml` may say, as plain pydantic classes.

No Qt here (an import-linter contract in pyproject.toml checks it): the model is loaded and
checked by `kiosk check` on machines with no display, and tested without a QApplication.

Every model forbids unknown keys, so a misspelt key is an error the operator sees, never a
silently ignored setting.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

LANG_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"

LangCode = Annotated[str, Field(pattern=LANG_PATTERN)]
Color = Annotated[str, Field(pattern=COLOR_PATTERN, description="A colour as #RRGGBB")]
AssetPath = Annotated[
    str,
    Field(min_length=1, description="A file path relative to the folder that holds content.yaml"),
]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    """Base for every content class: unknown keys are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(RootModel[dict[LangCode, str]]):
    """A visitor-facing text in each language: `{en: "...", de: "..."}`."""

    model_config = ConfigDict(frozen=True)

    def get(self, lang: str, fallback: str = "en") -> str:
        """The text in `lang`, else in `fallback`, else in any language there is."""
        texts = self.root
        if lang in texts:
            return texts[lang]
        if fallback in texts:
            return texts[fallback]
        return next(iter(texts.values()), "")

    def languages(self) -> set[str]:
        return set(self.root)


class Figure(Strict):
    """A number a visitor reads, with the source it comes from."""

    value: str = Field(description='The number as shown, e.g. "7–9" or "422.5"')
    unit: Text | None = None
    label: Text
    source: str | None = Field(
        default=None, description="Where the number comes from; `kiosk check` refuses a figure without one"
    )

    @field_validator("value", mode="before")
    @classmethod
    def _number_as_text(cls, v: object) -> object:
        # Operators write `value: 422.5` as readily as `value: "7–9"`; both display as written.
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return f"{v:g}"
        return v


# --- flow diagrams ---------------------------------------------------------------------------

NodeKind = Literal["source", "air", "sink", "store", "technology"]


class Point(RootModel[tuple[Fraction, Fraction]]):
    """A position as [x, y], fractions of the diagram's width and height (0..1)."""

    model_config = ConfigDict(frozen=True)

    @property
    def x(self) -> float:
        return self.root[0]

    @property
    def y(self) -> float:
        return self.root[1]


class FlowNode(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    kind: NodeKind
    at: Point = Field(description="Position in landscape layouts, [x, y] as fractions of the diagram")
    portrait_at: Point | None = Field(default=None, description="Position in portrait layouts; defaults to `at`")
    icon: AssetPath | None = None


class FlowLink(Strict):
    from_: str = Field(alias="from")
    to: str
    rate: float = Field(ge=0.0, description="The flow in GtCO2 per year")
    source: str | None = Field(default=None, description="Where the rate comes from")
    label: Text | None = None
    via: list[Point] = Field(default_factory=list, description="Waypoints the particles pass through")
    portrait_via: list[Point] | None = None
    curvature: float = Field(default=0.0, ge=-1.0, le=1.0, description="Bend of a waypoint-less link")
    step: int = Field(default=0, ge=0, description="Shown from this touch step on (0 = from the start)")


class FlowStep(Strict):
    """A stage revealed by touch, e.g. "now add removal"."""

    button: Text
    caption: Text
    source: str | None = Field(default=None, description="Source of the numbers in the caption (shown in the footer)")


class Reversal(Strict):
    """A touch-triggered event that sends stored carbon back to the air (a forest fire)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    button: Text
    caption: Text
    from_: str = Field(alias="from")
    to: str
    rate: float = Field(gt=0.0, description="GtCO2 per year while the event lasts")
    duration_s: float = Field(default=6.0, gt=0.0, le=60.0)
    source: str | None = None


class FlowDiagram(Strict):
    dot_value_gt: float = Field(
        default=0.1,
        gt=0.0,
        description="One particle emitted per second stands for this many GtCO2 per year (the legend)",
    )
    speed: float = Field(default=0.15, gt=0.0, le=2.0, description="Particle speed, diagram heights per second")
    seed: int = 1
    nodes: list[FlowNode] = Field(min_length=1)
    links: list[FlowLink] = Field(default_factory=list)
    steps: list[FlowStep] = Field(default_factory=list)
    reversals: list[Reversal] = Field(default_factory=list)

    @model_validator(mode="after")
    def _links_join_known_nodes(self) -> FlowDiagram:
        ids = [n.id for n in self.nodes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"node id {dupes[0]!r} is used twice")
        known = set(ids)
        for link in [*self.links, *self.reversals]:
            for end in (link.from_, link.to):
                if end not in known:
                    raise ValueError(f"link end {end!r} is not a node id (known: {', '.join(sorted(known))})")
        for link in self.links:
            if link.step > len(self.steps):
                raise ValueError(f"link {link.from_}->{link.to} has step {link.step} but only {len(self.steps)} steps")
        return self


# --- charts ------------------------------------------------------------------------------------


class CsvSeries(Strict):
    path: AssetPath
    x: str = Field(description="Column with the x values, e.g. year")
    y: str = Field(description="Column with the y values, e.g. co2")
    where: dict[str, str] = Field(default_factory=dict, description="Keep rows whose columns equal these values")
    multiply: float = 1.0


class ChartSeries(Strict):
    label: Text
    color: Color | None = None
    points: list[tuple[float, float]] | None = None
    csv: CsvSeries | None = None
    source: str | None = None
    style: Literal["line", "bar"] = "line"

    @model_validator(mode="after")
    def _one_data_origin(self) -> ChartSeries:
        if (self.points is None) == (self.csv is None):
            raise ValueError("a series needs either `points` or `csv`, not both")
        return self


# --- screens -----------------------------------------------------------------------------------


class ScreenBase(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    menu_label: Text | None = Field(default=None, description="Short name in the menu; defaults to the title")
    narration: Text | None = Field(
        default=None,
        description="Spoken mode reads this instead of the text generated from the screen (numbers in words)",
    )
    sources: list[str] = Field(
        default_factory=list,
        description="Sources of the numbers in this screen's running text (lead, body); shown in its footer",
    )


class AttractScreen(ScreenBase):
    type: Literal["attract"]
    prompt: Text = Field(description='"Touch to start", cycled through every language')
    diagram: FlowDiagram


class FactsScreen(ScreenBase):
    type: Literal["facts"]
    lead: Text
    body: Text | None = None
    figures: list[Figure] = Field(default_factory=list, max_length=4)


class FlowScreen(ScreenBase):
    type: Literal["flow"]
    lead: Text
    diagram: FlowDiagram
    figures: list[Figure] = Field(default_factory=list, max_length=3)


class StoragePanel(Strict):
    title: Text
    body: Text
    figure: Figure | None = None
    source: str | None = Field(default=None, description="Source of the numbers in the body (shown in the footer)")


class StorageScreen(ScreenBase):
    type: Literal["storage"]
    lead: Text
    temporary: StoragePanel
    permanent: StoragePanel
    diagram: FlowDiagram


class Project(Strict):
    name: str
    text: Text
    source: str | None = None


class Method(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    short: Text | None = Field(default=None, description="Short name on the grid tile")
    icon: AssetPath | None = None
    summary: Text
    how: Text
    cost: Figure
    potential: Figure
    permanence: Figure
    readiness: Figure
    risks: Text
    project: Project
    diagram: FlowDiagram | None = None


class TechnologiesScreen(ScreenBase):
    type: Literal["technologies"]
    lead: Text
    methods: list[Method] = Field(min_length=1, max_length=9)


class MemberGroup(Strict):
    name: Text
    members: list[str] = Field(min_length=1)


class Link(Strict):
    label: Text
    url: str = Field(pattern=r"^(https?://|mailto:)\S+$")


class CoalitionScreen(ScreenBase):
    type: Literal["coalition"]
    lead: Text
    groups: list[MemberGroup] = Field(min_length=1, max_length=6)
    join: Link
    updates: Link


class ChartTick(Strict):
    """A named place on the x axis, e.g. one bar: visitors read words, not 1.0, 1.5, 2.0."""

    at: float
    label: Text


class ChartScreen(ScreenBase):
    type: Literal["chart"]
    lead: Text
    x_label: Text
    y_label: Text
    x_ticks: list[ChartTick] = Field(default_factory=list, description="Named x positions instead of numbers")
    series: list[ChartSeries] = Field(min_length=1)
    draw_in_s: float = Field(default=2.5, ge=0.0, le=20.0)


# Screen types with a module of their own under kiosk/content (imported here, after the classes
# they build on, so the discriminated union below can name them).
from kiosk.content.bathtub import BathtubScreen  # noqa: E402
from kiosk.content.removal_mix import RemovalMixScreen  # noqa: E402

Screen = Annotated[
    Union[
        AttractScreen, FactsScreen, FlowScreen, StorageScreen, TechnologiesScreen, CoalitionScreen, ChartScreen,
        BathtubScreen,
        RemovalMixScreen,
    ],
    Field(discriminator="type"),
]


# --- the exhibition as a whole -----------------------------------------------------------------


class Languages(Strict):
    default: LangCode
    available: list[LangCode] = Field(min_length=1)
    names: dict[LangCode, str] = Field(description="Each language's name in itself, for the language buttons")

    @model_validator(mode="after")
    def _default_is_available(self) -> Languages:
        if self.default not in self.available:
            raise ValueError(f"default language {self.default!r} is not in available {self.available}")
        missing = [code for code in self.available if code not in self.names]
        if missing:
            raise ValueError(f"languages {missing} have no entry in `names`")
        return self


class Palette(Strict):
    background: Color
    surface: Color
    text: Color
    muted: Color = Field(description="Secondary text, e.g. sources")
    accent: Color
    on_accent: Color = Field(description="Text drawn on accent-coloured buttons")
    source: Color = Field(description="Colour of emission sources and their particles")
    air: Color
    sink: Color = Field(description="Temporary sinks: forests, soils, ocean uptake")
    store: Color = Field(description="Permanent stores: rock, deep aquifers")
    technology: Color
    particle: Color


class Theme(Strict):
    font_regular: AssetPath
    font_bold: AssetPath
    text_size_pt: float = Field(
        default=28, ge=24, le=60, description="Body text size at 1080 px screen height (never under 24 pt)"
    )
    normal: Palette
    high_contrast: Palette


class Timings(Strict):
    idle_warning_s: float = Field(default=90, ge=10, le=3600, description="Quiet time before 'Still there?'")
    idle_countdown_s: float = Field(default=20, ge=5, le=300, description="The 'Still there?' countdown")
    attract_drift_period_s: float = Field(default=240, ge=10, le=3600)
    reload_settle_ms: int = Field(default=300, ge=0, le=5000)


class UiText(Strict):
    """The interface's own words, per language."""

    next: Text
    back: Text
    menu: Text
    close: Text
    start: Text
    still_there: Text
    still_there_body: Text = Field(description="Use {seconds} for the countdown")
    larger_text: Text
    high_contrast: Text
    reduced_motion: Text
    each_dot: Text = Field(description="Flow legend; use {value} for GtCO2 per year per dot")
    source: Text = Field(description='Prefix before a source, e.g. "Source:"')
    scan_to_join: Text
    scan_for_updates: Text
    cost: Text
    potential: Text
    permanence: Text
    readiness: Text
    risks: Text
    example: Text
    replay: Text
    rate_label: Text | None = Field(
        default=None, description="Label drawn on a flow stream without its own label; use {value} for its rate"
    )


class Operator(Strict):
    pin_hash: str | None = Field(
        default=None,
        description="Operator PIN as 'pbkdf2_sha256$iterations$salt$hash' (make one with `kiosk pin`)",
    )


class GlossaryTerm(Strict):
    """A word visitors may not know, explained in plain words; marked wherever it appears."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    term: Text = Field(description='The word as written in each language; alternatives after "|", e.g. "sink|sinks"')
    explanation: Text
    source: str | None = Field(default=None, description="Source of any number in the explanation")


class Exhibition(Strict):
    title: Text
    languages: Languages
    theme: Theme
    timings: Timings = Field(default_factory=Timings)
    ui: UiText
    operator: Operator = Field(default_factory=Operator)
    glossary: list[GlossaryTerm] = Field(default_factory=list, description="Terms explained on touch")
    screens: list[Screen] = Field(min_length=2)

    @model_validator(mode="after")
    def _screens_make_a_walk(self) -> Exhibition:
        ids = [s.id for s in self.screens]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"screen id {dupes[0]!r} is used twice")
        if self.screens[0].type != "attract":
            raise ValueError("the first screen must be of type 'attract' (the loop visitors see first)")
        return self

    @property
    def attract(self) -> AttractScreen:
        first = self.screens[0]
        assert isinstance(first, AttractScreen)
        return first

    @property
    def walk(self) -> list:
        """The screens a visitor steps through after touching the attract loop."""
        return list(self.screens[1:])

"""What spoken mode says for a screen, built from the same content the screen draws. No Qt here.

`screen_lines(...)` gives the sentences as a sighted visitor reads them (digits, units: also the
screen reader's descriptions); `spoken_lines(...)` gives the same sentences with every number and
unit in words for the speech engine. Flow diagrams and charts are described from their data:
which flows, how large, in the order the content lists them; each bar or line with its values.

A screen's `narration:` in content.yaml replaces the generated text of its first state. Screen
types this module does not know (added later) still get their title, lead, body and figures,
whatever fields of those names they have.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.content.model import ChartScreen, Exhibition, Figure, FlowDiagram, Text
from kiosk.content.numbers import localize_number
from kiosk.narration.words import base_lang, speakable

# The interface's spoken words that content.yaml does not carry (kept here, not in the content
# file, so an exhibition needs no new keys to speak). Unknown languages fall back to English.
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "flows_intro": "The diagram shows {n} flows of CO₂, in this order.",
        "flow": "{rate} a year flow from {src} to {dst}.",
        "reversal": "Now {rate} a year flow back from {src} to {dst}.",
        "chart_intro": "The chart shows {y}.",
        "bar": "{x}: {y}.",
        "line": "{label}: from {y0} in {x0} to {y1} in {x1}; highest {ymax} in {xmax}.",
        "methods": "{n} methods: {names}.",
        "figure": "{label}: {value}.",
        "qr": "{what}: {label}. A QR code for your phone.",
        "start": "Press Enter to start. Use the arrow keys to move, Enter to choose.",
        "button": "button", "on": "on", "off": "off", "selected": "selected", "unavailable": "unavailable",
        "spoken_on": "Spoken mode on. F2 repeats, F3 reads slower, F4 pauses.",
        "spoken_off": "Spoken mode off.",
        "slower": "Slower.", "normal_speed": "Normal speed.", "paused": "Paused.",
        "read_aloud": "Read aloud",
        "screen_of": "Screen {i} of {n}",
        "still_there": "{title} {body}",
        "diagram": "Diagram", "chart": "Chart",
    },
    "de": {
        "flows_intro": "Das Diagramm zeigt {n} CO₂-Ströme, der Reihe nach.",
        "flow": "{rate} pro Jahr fließen von {src} nach {dst}.",
        "reversal": "Jetzt fließen {rate} pro Jahr zurück von {src} nach {dst}.",
        "chart_intro": "Das Diagramm zeigt {y}.",
        "bar": "{x}: {y}.",
        "line": "{label}: von {y0} im Jahr {x0} bis {y1} im Jahr {x1}; am höchsten {ymax} im Jahr {xmax}.",
        "methods": "{n} Verfahren: {names}.",
        "figure": "{label}: {value}.",
        "qr": "{what}: {label}. Ein QR-Code für Ihr Telefon.",
        "start": "Drücken Sie Enter zum Starten. Mit den Pfeiltasten bewegen, mit Enter wählen.",
        "button": "Schaltfläche", "on": "an", "off": "aus", "selected": "ausgewählt", "unavailable": "nicht verfügbar",
        "spoken_on": "Sprachausgabe an. F2 wiederholt, F3 liest langsamer, F4 pausiert.",
        "spoken_off": "Sprachausgabe aus.",
        "slower": "Langsamer.", "normal_speed": "Normales Tempo.", "paused": "Pause.",
        "read_aloud": "Vorlesen",
        "screen_of": "Seite {i} von {n}",
        "still_there": "{title} {body}",
        "diagram": "Diagramm", "chart": "Diagramm",
    },
    "fr": {
        "flows_intro": "Le schéma montre {n} flux de CO₂, dans l’ordre.",
        "flow": "{rate} par an vont de {src} vers {dst}.",
        "reversal": "Maintenant, {rate} par an repartent de {src} vers {dst}.",
        "chart_intro": "Le graphique montre {y}.",
        "bar": "{x} : {y}.",
        "line": "{label} : de {y0} en {x0} à {y1} en {x1} ; au plus haut {ymax} en {xmax}.",
        "methods": "{n} méthodes : {names}.",
        "figure": "{label} : {value}.",
        "qr": "{what} : {label}. Un code QR pour votre téléphone.",
        "start": "Appuyez sur Entrée pour commencer. Les flèches déplacent, Entrée choisit.",
        "button": "bouton", "on": "activé", "off": "désactivé", "selected": "sélectionné", "unavailable": "indisponible",
        "spoken_on": "Lecture vocale activée. F2 répète, F3 lit plus lentement, F4 met en pause.",
        "spoken_off": "Lecture vocale désactivée.",
        "slower": "Plus lentement.", "normal_speed": "Vitesse normale.", "paused": "Pause.",
        "read_aloud": "Lecture à voix haute",
        "screen_of": "Écran {i} sur {n}",
        "still_there": "{title} {body}",
        "diagram": "Schéma", "chart": "Graphique",
    },
    "es": {
        "flows_intro": "El diagrama muestra {n} flujos de CO₂, por orden.",
        "flow": "{rate} al año van de {src} a {dst}.",
        "reversal": "Ahora vuelven {rate} al año de {src} a {dst}.",
        "chart_intro": "El gráfico muestra {y}.",
        "bar": "{x}: {y}.",
        "line": "{label}: de {y0} en {x0} a {y1} en {x1}; máximo {ymax} en {xmax}.",
        "methods": "{n} métodos: {names}.",
        "figure": "{label}: {value}.",
        "qr": "{what}: {label}. Un código QR para tu teléfono.",
        "start": "Pulsa Intro para empezar. Las flechas mueven, Intro elige.",
        "button": "botón", "on": "activado", "off": "desactivado", "selected": "seleccionado", "unavailable": "no disponible",
        "spoken_on": "Lectura en voz alta activada. F2 repite, F3 lee más despacio, F4 hace una pausa.",
        "spoken_off": "Lectura en voz alta desactivada.",
        "slower": "Más despacio.", "normal_speed": "Velocidad normal.", "paused": "Pausa.",
        "read_aloud": "Leer en voz alta",
        "screen_of": "Pantalla {i} de {n}",
        "still_there": "{title} {body}",
        "diagram": "Diagrama", "chart": "Gráfico",
    },
}


def phrase(name: str, lang: str, **values) -> str:
    table = PHRASES.get(base_lang(lang), PHRASES["en"])
    return table.get(name, PHRASES["en"][name]).format(**values)


def _tr(text: Text | None, lang: str, default: str) -> str:
    return text.get(lang, default) if text is not None else ""


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?…:;" else text + "."


# -- pieces ------------------------------------------------------------------------------------


def figure_line(figure: Figure, lang: str, default: str = "en") -> str:
    """A figure card as one sentence: "Removal needed by 2050: 7–9 Gt CO₂ a year."."""
    value = localize_number(figure.value, lang)
    unit = _tr(figure.unit, lang, default)
    return phrase("figure", lang, label=_tr(figure.label, lang, default).rstrip(".:"), value=f"{value} {unit}".strip())


def amount(rate_gt: float, lang: str) -> str:
    """A flow as shown: "37.4 Gt CO₂"; under 0.1 Gt in million tonnes ("1.3 Mt CO₂"), which a
    listener grasps better than "zero point zero zero one three"."""
    if rate_gt < 0.1:
        value, unit = round(rate_gt * 1000, 2), "Mt"
    else:
        value, unit = round(rate_gt, 2), "Gt"
    return f"{localize_number(f'{value:g}', lang)} {unit} CO₂"


def flow_lines(diagram: FlowDiagram, lang: str, *, step: int = 0, reversal: str | None = None,
               default: str = "en") -> list[str]:
    """The flows drawn at `step`, in the order the content lists them, each with its size."""
    names = {node.id: _tr(node.label, lang, default) for node in diagram.nodes}
    links = [link for link in diagram.links if link.step <= step]
    lines = [phrase("flows_intro", lang, n=len(links))]
    for link in links:
        lines.append(phrase("flow", lang, rate=amount(link.rate, lang), src=names[link.from_], dst=names[link.to]))
    for rev in diagram.reversals:
        if rev.id == reversal:
            lines.append(phrase("reversal", lang, rate=amount(rev.rate, lang), src=names[rev.from_], dst=names[rev.to]))
    return lines


def _num(value: float, lang: str) -> str:
    return localize_number(f"{round(value, 4):g}", lang)


def chart_lines(chart: ChartScreen, lang: str, base_dir: Path | None = None, default: str = "en") -> list[str]:
    """Each series of a chart with its values: bars one by one, lines by start, end and peak."""
    from kiosk.flow.series import SeriesError, series_data

    y_label = _tr(chart.y_label, lang, default)
    ticks = {t.at: _tr(t.label, lang, default) for t in chart.x_ticks}
    lines = [phrase("chart_intro", lang, y=y_label)]
    for series in chart.series:
        label = _tr(series.label, lang, default)
        try:
            xs, ys = series_data(series, base_dir or Path("."))
        except SeriesError:
            continue
        if len(xs) == 0:
            continue
        if series.style == "bar" or len(xs) <= 2:
            for x, y in zip(xs, ys):
                place = ticks.get(float(x), label if len(xs) == 1 else _num(x, lang))
                lines.append(phrase("bar", lang, x=place, y=f"{_num(y, lang)} {y_label}"))
        else:
            top = int(ys.argmax())
            lines.append(phrase(
                "line", lang, label=label, y0=_num(ys[0], lang), x0=_num(xs[0], lang), y1=_num(ys[-1], lang),
                x1=_num(xs[-1], lang), ymax=f"{_num(ys[top], lang)} {y_label}", xmax=_num(xs[top], lang),
            ))
    return lines


# -- whole screens -----------------------------------------------------------------------------


def screen_lines(screen, exhibition: Exhibition, lang: str, *, state: dict | None = None,
                 base_dir: Path | None = None) -> list[str]:
    """The screen as sentences with digits, in `lang`, for its current `state`.

    state keys (all optional): step (flow screens), reversal (storage), method (technologies),
    answer, path and first (the bathtub, see kiosk.narration.bathtub).
    """
    state = state or {}
    default = exhibition.languages.default
    tr = lambda text: _tr(text, lang, default)  # noqa: E731
    narration = getattr(screen, "narration", None)
    first_state = not any(state.values())
    if narration is not None and first_state:
        return [_sentence(part) for part in [tr(narration)] if part]

    lines: list[str] = []
    kind = getattr(screen, "type", "")
    if kind == "technologies" and state.get("method"):
        return method_lines(screen, state["method"], exhibition, lang)
    if kind == "bathtub":
        from kiosk.narration.bathtub import bathtub_lines  # the model's numbers, computed per path

        return [_sentence(x) for x in bathtub_lines(screen, lang, state, default) if x]
    lines.append(tr(screen.title))
    if kind == "attract":
        lines.append(tr(screen.prompt))
        lines.append(phrase("start", lang))
        return [_sentence(x) for x in lines if x]

    lead = getattr(screen, "lead", None)
    caption = None
    if kind == "flow" and state.get("step"):
        caption = screen.diagram.steps[state["step"] - 1].caption
    if kind == "storage" and state.get("reversal"):
        caption = next((r.caption for r in screen.diagram.reversals if r.id == state["reversal"]), None)
    lines.append(tr(caption or lead))
    body = getattr(screen, "body", None)
    if isinstance(body, Text):
        lines.append(tr(body))
    for figure in getattr(screen, "figures", None) or []:
        lines.append(figure_line(figure, lang, default))

    if kind == "storage":
        for panel in (screen.temporary, screen.permanent):
            lines += [tr(panel.title), tr(panel.body)]
            if panel.figure:
                lines.append(figure_line(panel.figure, lang, default))
    if kind == "technologies":
        names = [tr(m.short) or tr(m.name) for m in screen.methods]
        lines.append(phrase("methods", lang, n=len(names), names=", ".join(names)))
    if kind == "coalition":
        for group in screen.groups:
            lines.append(f"{tr(group.name)}: {', '.join(group.members)}")
        for link, what in ((screen.join, "scan_to_join"), (screen.updates, "scan_for_updates")):
            lines.append(phrase("qr", lang, what=tr(getattr(exhibition.ui, what)), label=tr(link.label)))
    if isinstance(screen, ChartScreen):
        lines += chart_lines(screen, lang, base_dir, default)
    diagram = getattr(screen, "diagram", None)
    if isinstance(diagram, FlowDiagram):
        lines += flow_lines(diagram, lang, step=int(state.get("step") or 0), reversal=state.get("reversal"),
                            default=default)
    return [_sentence(x) for x in lines if x]


def method_lines(screen, method_id: str, exhibition: Exhibition, lang: str) -> list[str]:
    """One removal method's detail page: its name, four numbers, how it works, risks, example."""
    default = exhibition.languages.default
    tr = lambda text: _tr(text, lang, default)  # noqa: E731
    method = next(m for m in screen.methods if m.id == method_id)
    lines = [tr(method.name)]
    for field in ("cost", "potential", "permanence", "readiness"):
        figure: Figure = getattr(method, field)
        value = f"{localize_number(figure.value, lang)} {tr(figure.unit)}".strip()
        lines.append(phrase("figure", lang, label=tr(getattr(exhibition.ui, field)), value=value))
    lines.append(tr(method.how))
    colon = "\u202f:" if base_lang(lang) == "fr" else ":"
    lines.append(f"{tr(exhibition.ui.risks)}{colon} {tr(method.risks)}")
    name = method.project.name.strip(" —-")
    text = tr(method.project.text)
    lines.append(f"{tr(exhibition.ui.example)}{colon} {name + ', ' if name else ''}{text}")
    if method.diagram is not None:
        lines += flow_lines(method.diagram, lang, default=default)
    return [_sentence(x) for x in lines if x]


def spoken_lines(screen, exhibition: Exhibition, lang: str, *, state: dict | None = None,
                 base_dir: Path | None = None) -> list[str]:
    """`screen_lines` with every number and unit in words: what the speech engine says."""
    lines = [speakable(line, lang) for line in screen_lines(screen, exhibition, lang, state=state, base_dir=base_dir)]
    return [line[:1].upper() + line[1:] for line in lines if line]


def control_phrase(name: str, lang: str, *, role: str = "button", checked: bool | None = None,
                   selected: bool = False, enabled: bool = True) -> str:
    """What is said when the focus reaches a control: its name, what it is, its state."""
    parts = [name.strip(), phrase(role, lang) if role in PHRASES["en"] else role]
    if checked is not None:
        parts.append(phrase("on" if checked else "off", lang))
    if selected:
        parts.append(phrase("selected", lang))
    if not enabled:
        parts.append(phrase("unavailable", lang))
    return speakable(", ".join(p for p in parts if p), lang)

"""Build your 2050 removal mix: six steppers, a goal bar, live land / energy / cost / permanence.

The screen only draws: every number comes from kiosk.models.removal_mix, which gets the amounts
and the content's figures. A touch on + or − re-evaluates the mix and refills the labels in the
same event (no animation to wait for), so reduced motion needs nothing special here.

The ending (goal reached, or "Done") says the mix in one sentence and compares it with the mixes
visitors finished earlier today, read from the local analytics. The finished mix is written when
the visitor leaves the ending (next screen, "Try another mix", idle reset), so a visitor who goes
back to change it is counted once, with the mix they settled on.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from kiosk.content.numbers import format_number
from kiosk.content.removal_mix import MixMethod, RemovalMixScreen
from kiosk.models.removal_mix import (
    MixResult,
    compare_land,
    evaluate,
    format_span,
    percent_decimals,
    pick_country,
    summarize_others,
)
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.theme import SMALL_PX
from kiosk.ui.widgets.common import label, touch_button
from kiosk.ui.widgets.glossary import show_text
from kiosk.ui.widgets.layout import empty_layout
from kiosk.ui.widgets.mix_parts import (
    STORAGE_COLOUR,
    GoalBar,
    rough_note_label,
    MethodStepper,
    OutputCard,
    Pages,
    format_gt,
    rounded_span,
)


class RemovalMixScreenWidget(ScreenWidget):
    model: RemovalMixScreen

    def __init__(self, model: RemovalMixScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        self.facts = model.method_facts()
        self.settings = model.settings()
        self.countries = model.yardsticks()
        self.amounts: dict[str, float] = {m.id: 0.0 for m in model.methods}
        self.result: MixResult = evaluate(self.facts, self.amounts, self.settings)
        self.ending_shown = False
        self._unrecorded: MixResult | None = None  # the mix on the ending, written when the visitor leaves it
        self._was_reached = False

        self.pages = Pages(self)
        # -- the game ---------------------------------------------------------------------------
        game = QWidget()
        outer = QVBoxLayout(game)
        # Title and the visitor's total on one line; the goal is written on the bar itself.
        top = QGridLayout()
        self.title = label("title")
        self.total = label("heading", align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.done = touch_button("primary")
        self.done.clicked.connect(self.finish)
        self.top_row = top
        outer.addLayout(top)
        self.lead = label("lead")
        outer.addWidget(self.lead)
        self.bar = GoalBar()
        outer.addWidget(self.bar)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self.body, 1)
        self.stepper_grid = QGridLayout()
        self.steppers: list[MethodStepper] = []
        for method in model.methods:
            stepper = MethodStepper(method, model.words)
            stepper.minus.clicked.connect(lambda _=False, mid=method.id: self.step(mid, -1))
            stepper.plus.clicked.connect(lambda _=False, mid=method.id: self.step(mid, +1))
            self.steppers.append(stepper)
        left = QVBoxLayout()
        left.addLayout(self.stepper_grid)
        left.addStretch(1)
        self.left_column = left
        self.body.addLayout(left, 3)
        side = QVBoxLayout()
        self.output_grid = QGridLayout()
        self.side_widget = game
        self.land, self.energy, self.cost, self.storage = (OutputCard(game) for _ in range(4))
        self.outputs = [self.land, self.energy, self.cost, self.storage]
        side.addLayout(self.output_grid)
        # What the "~" on a card means, right under the cards it marks (in the sources' look).
        self.rough_note = rough_note_label()
        self.warnings = label("body")
        self.warnings.setTextFormat(Qt.TextFormat.RichText)  # bold through <b>, not a style sheet
        side.addWidget(self.warnings)
        side.addStretch(1)
        self.side = side
        self.body.addLayout(side, 2)
        self.sources = label("source")
        outer.addWidget(self.sources)
        outer.addStretch(0)  # portrait: the spare height goes here, not between steppers and outputs
        self.game_layout = outer
        self.pages.addWidget(game)
        # -- the ending -------------------------------------------------------------------------
        ending = QWidget()
        end = QVBoxLayout(ending)
        self.end_title = label("title")
        self.end_bar = GoalBar()
        self.end_summary = label("lead")
        self.end_others = label("lead")
        self.end_facts = label("body")
        self.again = touch_button("primary")
        self.again.clicked.connect(self.try_again)
        self.end_rough_note, self.end_sources = rough_note_label(), label("source")
        end.addWidget(self.end_title)
        end.addWidget(self.end_bar)
        end.addWidget(self.end_summary)
        end.addWidget(self.end_others)
        end.addWidget(self.end_facts)
        end.addWidget(self.end_rough_note)  # under the facts whose "~" it explains
        end.addStretch(1)
        end.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeft)
        end.addWidget(self.end_sources)
        self.pages.addWidget(ending)
        self.apply(ctx)

    # -- what the visitor does -----------------------------------------------------------------------
    def top_of(self, method_id: str) -> float:
        """The stepper's highest amount: the potential, in whole steps."""
        step = self.model.step_gt
        potential = next(f.max_gt for f in self.facts if f.id == method_id)
        return int(potential / step + 1e-9) * step

    def step(self, method_id: str, direction: int) -> None:
        new = self.amounts[method_id] + direction * self.model.step_gt
        new = min(max(0.0, round(new, 6)), self.top_of(method_id))
        if new == self.amounts[method_id]:
            return
        self.set_amounts({**self.amounts, method_id: new})
        self.interaction.emit(f"mix:{method_id}")

    def set_amounts(self, amounts: dict[str, float]) -> None:
        """Show a mix (visitor's steps, a render variant, a test); the model refuses impossible ones."""
        self.result = evaluate(self.facts, amounts, self.settings)
        self.amounts = dict(self.result.amounts)
        self._show_result()
        reached = self.result.goal_reached
        if reached and not self._was_reached and not self.ending_shown:
            self._was_reached = True
            self.interaction.emit("mix:goal")
            self.finish()
        self._was_reached = reached

    def finish(self) -> None:
        """Goal reached or "Done": the ending, compared with today's earlier mixes."""
        if self.pages.currentIndex() == 1:
            return
        self._show_ending()
        self._show_page(1)
        self.ending_shown = True
        self._unrecorded = self.result if self.result.total_gt > 0 else None
        self.interaction.emit("mix:done")

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._claim_height()

    def try_again(self) -> None:
        self._record()
        self.interaction.emit("mix:again")
        self._clear()

    def back(self) -> bool:
        # From the ending, Back returns to the mix (to change it) rather than leaving the screen.
        if self.pages.currentIndex() == 1:
            self._show_page(0)
            self.ending_shown = False
            return True
        return False

    def left(self) -> None:
        self._record()

    def reset(self) -> None:
        self._record()
        self._clear()

    def _clear(self) -> None:
        self._show_page(0)
        self.ending_shown = False
        self._was_reached = False
        self._unrecorded = None
        self.set_amounts({m.id: 0.0 for m in self.model.methods})

    def _record(self) -> None:
        result, self._unrecorded = self._unrecorded, None
        analytics = self.ctx.analytics
        if result is None or analytics is None or not hasattr(analytics, "record_mix"):
            return
        analytics.record_mix(
            self.screen_id, self.ctx.lang, dict(result.amounts), result.goal_gt, result.storage_share("permanent")
        )

    # -- drawing ---------------------------------------------------------------------------------
    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        game = self.pages.widget(0).layout()
        self.show_heading(ctx, game)
        game.setSpacing(m // 4)
        self.body.setSpacing(m // 2)
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if look.portrait else QBoxLayout.Direction.LeftToRight)
        body_index = self.game_layout.indexOf(self.body)
        self.game_layout.setStretch(body_index, 0 if look.portrait else 1)
        self.game_layout.setStretch(self.game_layout.count() - 1, 1 if look.portrait else 0)
        for i, stretch in enumerate((0, 0) if look.portrait else (3, 2)):
            self.body.setStretch(i, stretch)
        self.stepper_grid.setSpacing(m // 3)
        self.output_grid.setSpacing(m // 3)
        self.side.setSpacing(m // 3)
        self.left_column.setSpacing(m // 3)
        self.top_row.setSpacing(m // 2)
        # The "~" note where there is room: landscape, under the steppers (the output column is
        # the taller one in long languages); portrait has no spare line: it ends the source line.
        self.left_column.removeWidget(self.rough_note)
        self.left_column.insertWidget(1, self.rough_note)
        # Landscape: title | total | Done on one line. Portrait: the title alone, then total and Done.
        top = self.top_row
        empty_layout(top)
        if look.portrait:
            top.addWidget(self.title, 0, 0)
            top.addWidget(self.total, 1, 0)
            top.addWidget(self.done, 0, 1, 2, 1, Qt.AlignmentFlag.AlignVCenter)
            self.total.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            top.setColumnStretch(0, 1)
            top.setColumnStretch(1, 0)
            top.setColumnStretch(2, 0)
        else:
            top.addWidget(self.title, 0, 0)
            top.addWidget(self.total, 0, 1)
            top.addWidget(self.done, 0, 2, Qt.AlignmentFlag.AlignVCenter)
            self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            top.setColumnStretch(0, 3)
            top.setColumnStretch(1, 2)
            top.setColumnStretch(2, 0)
        empty_layout(self.stepper_grid)
        # Larger text: one stepper per row, so names and amounts keep their width (the page scrolls).
        columns = 1 if look.text_factor > 1 else 2
        for c in range(2):
            self.stepper_grid.setColumnStretch(c, 1 if c < columns else 0)  # equal columns, whatever the names
        for i, stepper in enumerate(self.steppers):
            self.stepper_grid.addWidget(stepper, i // columns, i % columns)
            stepper.apply(ctx, getattr(look.palette, STORAGE_COLOUR[stepper.method.storage]))
        empty_layout(self.output_grid)
        # Fresh cards for a new language or look: the old ones kept the old texts' heights when
        # the change came while the screen was hidden (a German mix after an English one was
        # squeezed to one line per card). The old cards keep their parent until deleted: as
        # parentless windows Qt's offscreen platform warned about their size hints.
        for old in self.outputs:
            old.hide()
            old.deleteLater()
        self.land, self.energy, self.cost, self.storage = (OutputCard(self.side_widget) for _ in range(4))
        self.outputs = [self.land, self.energy, self.cost, self.storage]
        out_columns = 2 if look.portrait else 1
        for c in range(2):
            self.output_grid.setColumnStretch(c, 1 if c < out_columns else 0)
        for i, output in enumerate(self.outputs):
            self.output_grid.addWidget(output, i // out_columns, i % out_columns)
            output.show()  # at once, not at the next turn of the event loop
            output.apply(ctx)
        for bar in (self.bar, self.end_bar):
            # The bar, then its labels in small text (a second line if they would touch).
            bar.set_sizes(look.px(34), look.text_px(SMALL_PX))
            bar.colours = {
                "track": look.color("surface"),
                "goal": look.color("text"),
                "today": look.color("muted"),
                "gap": look.color("background"),
            }
        end = self.pages.widget(1).layout()
        end.setContentsMargins(m, m // 2, m, m // 2)
        end.setSpacing(m // 2)
        self.done.setText(ctx.tr(self.model.words.done))
        self.again.setText(ctx.tr(self.model.words.again))
        show_text(self.end_title, ctx.tr(self.model.title), ctx)
        self._show_result()
        if self.pages.currentIndex() == 1:
            self._show_ending()

    def _segments(self, look) -> list[tuple[float, QColor]]:
        return [
            (self.amounts[m.id], QColor(getattr(look.palette, STORAGE_COLOUR[m.storage])))
            for m in self.model.methods
        ]

    def _show_result(self) -> None:
        ctx, w, r = self.ctx, self.model.words, self.result
        lang = ctx.lang
        for stepper in self.steppers:
            stepper.show_amount(ctx, self.amounts[stepper.method.id], self.top_of(stepper.method.id), w)
        self.total.setText(ctx.tr(w.total).replace("{total}", format_gt(r.total_gt, lang)))
        goal = ctx.tr(w.goal).replace("{goal}", format_gt(self.model.goal_gt.value, lang))
        today = ctx.tr(w.today).replace("{today}", format_gt(self.model.today_gt.value, lang))
        for bar in (self.bar, self.end_bar):
            bar.set_state(self._segments(ctx.look), self.model.goal_gt.value, self.model.today_gt.value, today, goal)
        texts = self.output_texts()
        for card_, key in zip(self.outputs, ("land", "energy", "cost")):
            card_.show_texts(*texts[key])
        palette = ctx.look.palette
        kinds = ["permanent"] + [k for k in ("centuries", "reversible") if r.storage_share(k) > 0]
        self.storage.show_texts(*texts["storage"], swatches=[getattr(palette, STORAGE_COLOUR[k]) for k in kinds])
        warnings = " ".join(self.warning_texts())
        self.warnings.setText(f"<b>{escape(warnings)}</b>" if warnings else "")
        self.warnings.setVisible(bool(self.warnings.text()))
        self._show_footer(self.rough_note, self.sources)
        # New texts, new heights: layouts cache their children's size hints, so ask again.
        for card_ in self.outputs:
            card_.value.updateGeometry()
            card_.detail.updateGeometry()
            card_.frame.layout().invalidate()
        self.warnings.updateGeometry()
        self._claim_height()

    def _claim_height(self) -> None:
        """Ask for the height the texts need at the current width, so a screen taller than the
        window (larger text, a long language) scrolls instead of squeezing its cards."""
        lay = self.layout()
        if lay is None or self.width() < 100:
            return
        lay.invalidate()
        needed = lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth() else lay.totalMinimumSize().height()
        self.setMinimumHeight(max(0, needed))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._claim_height()

    def output_texts(self) -> dict[str, tuple[str, str, str]]:
        """(heading, value, detail) of each output in the visitor's language.

        A total resting on an unconfirmed figure starts with "~"; the footer explains the sign
        ("~ rough estimate"), which keeps each output to one or two lines.
        """
        ctx, w, r = self.ctx, self.model.words, self.result
        lang, to = ctx.lang, ctx.tr(w.range_to)
        land = rounded_span(r.land_mha)
        if r.land_mha.high <= 0:
            land_value, land_detail = ctx.tr(w.land_none), ""
        else:
            land_value = ctx.tr(w.land_value).replace("{range}", format_span(land, lang, to_word=to))
            land_detail = compare_land(
                r.land_mha,
                self.countries,
                lang,
                times=ctx.tr(w.land_times),
                less_than=ctx.tr(w.land_less),
                none=ctx.tr(w.land_none),
            )
        share = r.energy_share.scaled(100)
        decimals = percent_decimals(r.energy_share) if share.high > 0 else 0
        energy_value = ctx.tr(w.energy_value).replace("{range}", format_span(share, lang, decimals, to_word=to))
        energy_detail = ""
        if r.energy_left_out:
            names = ", ".join(ctx.tr(self._method(mid).name) for mid in r.energy_left_out)
            energy_detail = ctx.tr(w.energy_left_out).replace("{methods}", names)
        cost_value = ctx.tr(w.cost_value).replace("{range}", format_span(rounded_span(r.cost_busd), lang, to_word=to))
        perm = ctx.tr(w.storage_permanent).replace("{percent}", self._percent(r.storage_share("permanent")))
        others = [
            ctx.tr(getattr(w, f"storage_{kind}")).replace("{percent}", self._percent(r.storage_share(kind)))
            for kind in ("centuries", "reversible")
            if r.storage_share(kind) > 0
        ]

        def rough(flag: bool, text: str) -> str:
            return f"~{text}" if flag else text

        return {
            "land": (ctx.tr(w.land), rough(r.land_rough, land_value), land_detail),
            "energy": (ctx.tr(w.energy), rough(r.energy_rough, energy_value), energy_detail),
            "cost": (ctx.tr(w.cost), rough(r.cost_rough, cost_value), ""),
            "storage": (ctx.tr(w.storage), perm, "\n".join(others)),
        }

    @property
    def any_rough(self) -> bool:
        r = self.result
        return r.land_rough or r.energy_rough or r.cost_rough

    def footer_text(self) -> str:
        """The source line: "Source: a; b", starting with the prefix like every screen's footer."""
        return self.ctx.sources_line(self.sources_in_use())

    def rough_text(self) -> str:
        """What the "~" before an output means, beside the sources ("~ rough estimate.")."""
        return f"~ {self.ctx.tr(self.model.words.rough)}." if self.any_rough else ""

    def _show_footer(self, note, sources) -> None:
        rough = self.rough_text()
        # Portrait, game page: no spare line for the note, so it follows the sources (the line
        # still starts with "Source:"); elsewhere it is a line of its own near what it explains.
        inline = self.ctx.look.portrait and note is self.rough_note
        note.setText("" if inline else rough)
        note.setVisible(bool(note.text()))
        sources.setText(self.footer_text() + (f" {rough}" if inline and rough else ""))

    def warning_texts(self) -> list[str]:
        ctx, w = self.ctx, self.model.words
        out = []
        for warning in self.result.warnings:
            if warning.kind == "past_sustainable":
                method = self._method(warning.method_id)
                high = method.sustainable_gt.range.root[1]  # type: ignore[union-attr]
                out.append(
                    ctx.tr(w.warn_sustainable).replace("{method}", ctx.tr(method.name)).replace("{high}", format_gt(high, ctx.lang))
                )
            elif warning.kind == "land_over_large_country":
                out.append(ctx.tr(w.warn_land).replace("{country}", ctx.tr(self.model.large.name)))
        return out

    def sources_in_use(self) -> list[str]:
        """Sources of the numbers on screen now: the goal and today, plus what the mix uses."""
        model = self.model
        sources = [*model.sources, model.goal_gt.source, model.today_gt.source]  # the lead's figure too
        used = [m for m in model.methods if self.amounts[m.id] > 0]
        if used:
            sources.append(model.world_energy_ej.source)
            for m in used:
                figures = (m.land_mha, m.energy_ej, m.cost_usd_t, m.sustainable_gt)
                sources += [f.source for f in figures if f.range is not None]
            shown = pick_country(self.result.land_mha.mid, self.countries)
            named = {shown.id} if shown is not None and self.result.land_mha.high > 0 else set()
            if any(w.kind == "land_over_large_country" for w in self.result.warnings):
                named.add(model.large_country)
            sources += [c.source for c in model.countries if c.id in named]
        sources += [m.sustainable_gt.source for m in model.methods]  # the limits under the steppers
        return sources

    def _method(self, method_id: str | None) -> MixMethod:
        return next(m for m in self.model.methods if m.id == method_id)

    def _labelled(self, heading: str, text: str) -> str:
        colon = "\u202f:" if self.ctx.lang.split("-")[0] == "fr" else ":"  # French spaces its colon
        return f"{heading}{colon} {text}"

    def _percent(self, share: float) -> str:
        return format_number(round(share * 100), self.ctx.lang)

    # -- the ending ------------------------------------------------------------------------------
    def summary_text(self) -> str:
        ctx, w, r = self.ctx, self.model.words, self.result
        lead = r.largest_method
        if lead is None:
            return ctx.tr(w.summary_empty)
        method = ctx.tr(self._method(lead).in_sentence)
        total = format_gt(r.total_gt, ctx.lang)
        if r.goal_reached:
            return ctx.tr(w.summary_reached).replace("{total}", total).replace("{method}", method)
        missing = format_gt(max(0.0, r.goal_gt - r.total_gt), ctx.lang)
        return ctx.tr(w.summary_short).replace("{total}", total).replace("{missing}", missing).replace("{method}", method)

    def others_text(self) -> str:
        ctx, w, r = self.ctx, self.model.words, self.result
        if r.total_gt <= 0:
            return ""
        permanent = self._percent(r.storage_share("permanent"))
        analytics = ctx.analytics
        records = analytics.mixes_today() if analytics is not None and hasattr(analytics, "mixes_today") else []
        ours = {m.id for m in self.model.methods}
        others = summarize_others(
            (dict(rec.parts), rec.permanent_share, rec.goal_gt)
            for rec in records
            if rec.screen_id == self.screen_id and {k for k, _ in rec.parts} <= ours
        )
        if others.count == 0 or others.most_relied_on is None:
            return ctx.tr(w.others_first).replace("{permanent}", permanent)
        return (
            ctx.tr(w.others)
            .replace("{method}", ctx.tr(self._method(others.most_relied_on).in_sentence))
            .replace("{permanent}", permanent)
            .replace("{others_permanent}", self._percent(others.mean_permanent_share))
        )

    def _show_ending(self) -> None:
        ctx = self.ctx
        show_text(self.end_summary, self.summary_text(), ctx)  # "Gt" marked here too: the lead is not on this page
        others = self.others_text()
        self.end_others.setText(others)
        self.end_others.setVisible(bool(others))
        texts = self.output_texts()
        lines = []
        for key in ("land", "energy", "cost"):
            heading, value, detail = texts[key]
            lines.append(self._labelled(heading, value + (f" — {detail}" if detail else "")))
        storage = [texts["storage"][1], *filter(None, texts["storage"][2].split("\n"))]
        lines.append(self._labelled(texts["storage"][0], ", ".join(storage)))
        self.end_facts.setText("\n".join(lines + self.warning_texts()))
        self._show_footer(self.end_rough_note, self.end_sources)

    # -- spoken mode -----------------------------------------------------------------------------
    def narration_state(self) -> dict:
        # The amounts and the page: any touch on a stepper, Done or Try again changes it.
        mix = ",".join(f"{k}={v:g}" for k, v in self.amounts.items() if v > 0)
        return {"mix": mix, "ending": self.pages.currentIndex() == 1}

    def narration_lines(self) -> list[str]:
        """The live result as sentences (numbers as shown; spoken mode says them in words)."""
        ctx = self.ctx
        if self.pages.currentIndex() == 1:
            lines = [self.summary_text(), self.end_others.text()]
            return [line for line in lines if line]
        texts = self.output_texts()
        rough = ctx.tr(self.model.words.rough)
        lines = [self.total.text()]
        for key in ("land", "energy", "cost", "storage"):
            heading, value, detail = texts[key]
            if value.startswith("~"):
                value = f"{value[1:]} ({rough})"
            parts = [value, *filter(None, detail.split("\n"))]
            lines.append(self._labelled(heading, ", ".join(parts)))
        return lines + self.warning_texts()

    # -- proofing --------------------------------------------------------------------------------
    def render_variants(self) -> list[tuple[str, object]]:
        return [("midway", "midway"), ("ending", "ending")]

    def show_variant(self, key: object) -> None:
        self._clear()
        ids = [m.id for m in self.model.methods]
        # Half-way: forests at 2.5 Gt (past India's area in the middle of its range: the land
        # warning shows) plus 1 Gt of air capture and 0.5 of biochar. Ending: the goal reached.
        midway = {"forests": 2.5, "daccs": 1.0, "biochar": 0.5}
        ending = {"forests": 2.0, "soil": 1.5, "biochar": 1.0, "beccs": 2.0, "daccs": 2.0, "weathering": 0.5}
        mix = midway if key == "midway" else ending
        self.set_amounts({mid: min(mix.get(mid, 0.0), self.top_of(mid)) for mid in ids})
        if key == "ending":
            self.finish()

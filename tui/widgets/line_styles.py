"""For widgets that draw with the Line API: their styles computed once, and Content made a strip.

``self.rich_style`` and ``get_component_rich_style`` each walk up the DOM; asked per line they
were ~19% of a frame at 100k reports. Cached here until the theme or the focus changes them
(Textual calls ``notify_style_update`` then).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.strip import Strip


class CachedLineStyles:
    """Mix into a Widget before it: ``class Reader(CachedLineStyles, ScrollView)``."""

    _line_styles: dict | None = None  # component class (None: the widget) -> rich style
    _line_visual_style = None
    _piece_styles: dict | None = None  # Content style (None: unstyled) -> rich style

    def line_style(self, component: str | None = None) -> RichStyle:
        """The widget's rich style (None), or a component class's."""
        if self._line_styles is None:
            self._line_styles = {}
        style = self._line_styles.get(component)
        if style is None:
            style = self.rich_style if component is None else self.get_component_rich_style(component)
            self._line_styles[component] = style
        return style

    def content_strip(self, content: Content, width: int) -> Strip:
        """One line of Content as a strip of ``width`` cells. Content.render with the widget's style
        resolver gives the segments Visual.to_strips would, without its selection and link passes
        (6x cheaper per line); callers add offsets if they support selection."""
        if self._line_visual_style is None:
            self._line_visual_style = self.visual_style
        segments = [Segment(text, style.rich_style)
                    for text, style in content.render(self._line_visual_style, "", self._get_style)]
        return Strip(segments).adjust_cell_length(width, self.line_style())

    def pieces_strip(self, pieces: list[tuple[str, str | None]], width: int) -> Strip:
        """One line of ``(text, style or None)`` pieces as a strip of ``width`` cells, cut with an
        ellipsis if longer: what ``content_strip`` makes of the same Content, without building
        one (a third of the cost of a search hit's line)."""
        segments = [Segment(text, self.piece_style(style)) for text, style in pieces if text]
        strip = Strip(segments)
        if strip.cell_length > width:
            last = segments[-1].style if segments else None
            strip = Strip([*strip.crop(0, max(0, width - 1)), Segment("\u2026", last)])
        return strip.adjust_cell_length(width, self.line_style())

    def piece_style(self, style: str | None) -> RichStyle:
        """The rich style text with this Content style (None: unstyled) is drawn with."""
        if self._piece_styles is None:
            self._piece_styles = {}
        rich = self._piece_styles.get(style)
        if rich is None:
            if self._line_visual_style is None:
                self._line_visual_style = self.visual_style
            probe = Content.assemble(("x", style) if style else "x")
            rich = next(iter(probe.render(self._line_visual_style, "", self._get_style)))[1].rich_style
            self._piece_styles[style] = rich
        return rich

    def forget_line_styles(self) -> None:
        self._line_styles = None
        self._line_visual_style = None
        self._piece_styles = None

    def notify_style_update(self) -> None:
        self.forget_line_styles()
        super().notify_style_update()

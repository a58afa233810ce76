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

    def forget_line_styles(self) -> None:
        self._line_styles = None
        self._line_visual_style = None

    def notify_style_update(self) -> None:
        self.forget_line_styles()
        super().notify_style_update()

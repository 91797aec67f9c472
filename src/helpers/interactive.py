"""A time-window control for JupyterLab that degrades to text where no kernel runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

FALLBACK = (
    "Interactive control: choose a time window with the slider to redraw the figure. "
    "It needs a running kernel (open the notebook in JupyterLab and run it); "
    "the static figure above shows the default window."
)


class TimeWindowControl:
    """A range slider over ``periods`` (e.g. months "2022-01" ... "2022-12"); moving it calls
    ``draw(first, last)`` and shows the figure it returns. The figure area starts empty, so the
    saved notebook holds no figure of it; where no kernel runs, the text ``FALLBACK`` shows."""

    def __init__(self, periods: Sequence[str], draw: Callable[[str, str], object]) -> None:
        import ipywidgets as widgets

        self.draw = draw
        self.slider = widgets.SelectionRangeSlider(
            options=list(periods),
            index=(0, len(periods) - 1),
            description="window",
            layout=widgets.Layout(width="90%"),
        )
        self.output = widgets.Output()
        self.box = widgets.VBox([self.slider, self.output])
        self.slider.observe(self.update, names="value")

    def update(self, change: object = None) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        first, last = self.slider.value
        with self.output:
            self.output.clear_output(wait=True)
            figure = self.draw(first, last)
            display(figure)
            plt.close(figure)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        bundle = self.box._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = FALLBACK
        return data

"""The report as one HTML file: inline CSS and SVG, no script, no network, A4 in print.

The page is written by Jinja2 from `templates/report.html` with autoescaping on: every
text of the report, above all what agencies wrote, is escaped where it is put, so nothing
from a return can become markup, a link or a script. The charts' SVG, which matplotlib
writes (escaping their labels itself), is the only markup let through.
"""

from pathlib import Path

from rapporteur.report import Grid, Report

TEMPLATES = Path(__file__).parent / "templates"


def render_html(report: Report) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    from rapporteur.report import charts

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    drawn = {chart.id: Markup(charts.svg(chart)) for chart in report.charts}
    return environment.get_template("report.html").render(
        report=report,
        drawn=drawn,
        is_grid=lambda block: isinstance(block, Grid),
    )

"""HTML rendered from the templates in ``course/templates/``, always autoescaped.

Every page or fragment the course writes from learner content (a feedback
summary, a debrief, the cohort report) goes through :func:`render`, so a
learner's text shows as text; only values wrapped in
:class:`markupsafe.Markup` (HTML the caller has already sanitised) pass as
markup.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).with_name("templates")
_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
)


def render(template: str, **context: object) -> str:
    """The template ``course/templates/<template>`` filled with ``context``."""
    return _ENVIRONMENT.get_template(template).render(**context)

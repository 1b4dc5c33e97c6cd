"""The review page's body map: a front and a back figure, each area shaded by the time it was
worked this week, the areas not worked named in text and outlined."""

from __future__ import annotations

from html import escape

from breakctl.core.durations import format_minutes
from breakctl.core.model import AREAS
from breakctl.core.stats import WeekStats
from breakctl.ui.report.markup import datum

# Body map shapes: (area, view, svg shape); views are the front (x 0-110) and back (120-230).
_BODY = [
    ("eyes", "ellipse", 'cx="55" cy="16" rx="3.5" ry="2.5"'),
    ("eyes", "ellipse", 'cx="65" cy="16" rx="3.5" ry="2.5"'),
    ("neck", "rect", 'x="54" y="33" width="12" height="10"'),
    ("shoulders", "ellipse", 'cx="38" cy="50" rx="12" ry="8"'),
    ("shoulders", "ellipse", 'cx="82" cy="50" rx="12" ry="8"'),
    ("chest", "rect", 'x="44" y="46" width="32" height="22" rx="4"'),
    ("core", "rect", 'x="46" y="70" width="28" height="26" rx="3"'),
    ("hip-flexors", "rect", 'x="44" y="98" width="32" height="12" rx="3"'),
    ("quads", "rect", 'x="44" y="112" width="14" height="44" rx="5"'),
    ("quads", "rect", 'x="62" y="112" width="14" height="44" rx="5"'),
    ("neck", "rect", 'x="174" y="33" width="12" height="10"'),
    ("shoulders", "ellipse", 'cx="158" cy="50" rx="12" ry="8"'),
    ("shoulders", "ellipse", 'cx="202" cy="50" rx="12" ry="8"'),
    ("upper-back", "rect", 'x="164" y="46" width="32" height="26" rx="4"'),
    ("lower-back", "rect", 'x="166" y="74" width="28" height="22" rx="3"'),
    ("glutes", "rect", 'x="164" y="98" width="32" height="16" rx="5"'),
    ("hamstrings", "rect", 'x="164" y="116" width="14" height="40" rx="5"'),
    ("hamstrings", "rect", 'x="182" y="116" width="14" height="40" rx="5"'),
    ("calves", "rect", 'x="165" y="160" width="12" height="40" rx="5"'),
    ("calves", "rect", 'x="183" y="160" width="12" height="40" rx="5"'),
    ("shins", "rect", 'x="45" y="160" width="12" height="40" rx="5"'),
    ("shins", "rect", 'x="63" y="160" width="12" height="40" rx="5"'),
    # wrists, forearms and hands: the lower half of each arm, front and back
    *(
        ("forearms", "rect", f'x="{x}" y="84" width="9" height="26" rx="4"')
        for x in (24, 87, 144, 207)
    ),
]
# Parts that are not areas: head, upper arms.
_SILHOUETTE = "".join(
    f'<circle cx="{cx}" cy="18" r="13" class="none"/>'
    f'<rect x="{cx - 36}" y="56" width="9" height="28" rx="4" class="none"/>'
    f'<rect x="{cx + 27}" y="56" width="9" height="28" rx="4" class="none"/>'
    for cx in (60, 180)
)


def body_map(s: WeekStats) -> str:
    most = max([*s.areas.values(), 1e-9])
    shapes = []
    for area, tag, geometry in _BODY:
        seconds = s.areas.get(area, 0.0)
        level = 0 if seconds <= 0 else 1 + min(3, int(4 * seconds / most))
        cls = "neglected" if level == 0 else f"s{level}"
        shapes.append(
            f'<{tag} {geometry} class="{cls}"{datum(f"areas.{area}", seconds)}>'
            f"<title>{escape(area)}: {format_minutes(seconds)}</title></{tag}>"
        )
    worked = [(a, x) for a, x in sorted(s.areas.items(), key=lambda i: -i[1]) if x > 0]
    neglected = [a for a in AREAS if s.areas.get(a, 0.0) <= 0]
    desc = (
        "Body map, front and back. "
        + (
            "Worked: " + ", ".join(f"{a} {format_minutes(x)}" for a, x in worked) + ". "
            if worked
            else "No area worked yet. "
        )
        + ("Not worked: " + ", ".join(neglected) + "." if neglected else "Every area worked.")
    )
    svg = (
        '<svg viewBox="0 0 240 222" role="img" aria-labelledby="h-body" '
        f'style="max-width:22rem"><desc>{escape(desc)}</desc>{_SILHOUETTE}'
        + "".join(shapes)
        + '<text x="60" y="218" text-anchor="middle">front</text>'
        '<text x="180" y="218" text-anchor="middle">back</text></svg>'
    )
    worked_list = "".join(
        f'<li><span class="nowrap">{escape(a)} {format_minutes(x)}</span></li>' for a, x in worked
    )
    neglected_text = (
        "<p><strong>Not worked:</strong> "
        + ", ".join(f'<span class="nowrap">{escape(a)}</span>' for a in neglected)
        + " (dashed outline).</p>"
        if neglected
        else "<p>Every area worked.</p>"
    )
    return (
        '<section aria-labelledby="h-body"><h2 id="h-body">Your body this week</h2>'
        f'<div class="cols"><div>{svg}</div><div><p>Darker is more time.</p>'
        f"<ol>{worked_list}</ol>{neglected_text}</div></div></section>"
    )

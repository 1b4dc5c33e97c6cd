"""Small pieces of the review page's markup: the data attributes a test reads back, numbers,
the ▲/▼ comparison, and the page's stylesheet."""

from __future__ import annotations

import json
from html import escape

from breakctl.core.durations import format_minutes, round_s


def datum(key: str, value: object) -> str:
    """The data-key / data-value attributes of one figure."""
    if isinstance(value, float):
        value = round_s(value)
    return f' data-key="{escape(key)}" data-value="{escape(json.dumps(value))}"'


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def change(now: float, before: float, is_time: bool) -> str:
    if now == before:
        return '<span class="change">= same as before</span>'
    up = now > before
    amount = format_minutes(abs(now - before)) if is_time else num(abs(now - before))
    word = "more" if up else "fewer" if not is_time else "less"
    arrow = "▲" if up else "▼"
    return (
        f'<span class="change {"up" if up else "down"}">'
        f'<span aria-hidden="true">{arrow} </span>{amount} {word} than before</span>'
    )


CSS = """
:root{--bg:#fff;--fg:#1b1b1b;--muted:#555;--line:#c8c8c8;--card:#f4f5f7;
--s0:#eceef2;--s1:#c6dbef;--s2:#6baed6;--s3:#2b7bba;--s4:#08306b;
--brk:#0a7d32;--good:#0a7d32;--low:#b35c00;--bad:#b3261e;--body:#dcdcdc}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#ececec;--muted:#b0b0b0;
--line:#3a3f46;--card:#1c2026;--s0:#23272e;--s1:#1f4468;--s2:#2f6fa8;--s3:#5aa0dc;
--s4:#a9d1f5;--brk:#5fd48a;--good:#5fd48a;--low:#f0a24a;--bad:#ff8a80;--body:#3a3f46}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,sans-serif}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 0}h2{font-size:1.15rem;margin:0 0 .5rem}
section{margin:1.5rem 0;break-inside:avoid}
.muted,figcaption{color:var(--muted)}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.5rem;
margin:0}
.figures div{background:var(--card);border-radius:.5rem;padding:.5rem .75rem}
.figures dt{font-size:.85rem;color:var(--muted)}.figures dd{margin:0;font-size:1.35rem;
font-weight:600}
.up{color:var(--good)}.down{color:var(--bad)}.change{display:block;font-size:.8rem;
font-weight:400}
svg{display:block;width:100%;height:auto;max-width:100%}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}svg .small{font-size:9px}
.s0{fill:var(--s0)}.s1{fill:var(--s1)}.s2{fill:var(--s2)}.s3{fill:var(--s3)}
.s4{fill:var(--s4)}.brk{fill:var(--brk)}.met{fill:var(--good)}.under{fill:var(--low)}
.goal{stroke:var(--fg);stroke-dasharray:4 3;stroke-width:1}.axis{stroke:var(--line)}
.none{fill:var(--body)}.neglected{fill:none;stroke:var(--bad);stroke-dasharray:3 2}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem;color:var(--muted);
padding:0;margin:.25rem 0;list-style:none}
.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin-right:.3em;
border-radius:2px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85rem}th,td{padding:.15rem .4rem;text-align:right;
border-bottom:1px solid var(--line);white-space:nowrap}th:first-child{text-align:left}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
ol{margin:.25rem 0;padding-left:1.5rem}figure{margin:0}h3{font-size:1rem;margin:.5rem 0}

.nowrap{white-space:nowrap}
@media print{:root{--bg:#fff;--fg:#000;--card:#fff}main{max-width:none}
details{display:none}section{page-break-inside:avoid}}
"""

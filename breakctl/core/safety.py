"""Words of care shown beside the exercises. Pure text, safe for any layer."""

# Shown in `routine show`, on the pain presets, in the help of `start` and `routine`, in the
# README, and (wired by the screens) before the first routine or break of a day. Its last
# sentence points to the full text, which has the signs that need urgent care.
SAFETY = (
    "breakctl is not treatment. Stop any move that hurts. See a doctor or physiotherapist if "
    "pain lasts, gets worse, spreads into a buttock or down a leg, or comes with numbness or "
    "weakness. Some signs need urgent care at once: run `breakctl safety`."
)
# The same on a small screen, on one line of a 60-column terminal.
SAFETY_SHORT = "Stop if it hurts · warning signs: breakctl safety"

# The two tiers `breakctl safety` prints. The warning signs follow current red-flag guidance:
# for the low back, Finucane et al. 2020; for the neck, the IFOMPT cervical framework (Rushton
# et al. 2023). Chest pain and breathlessness are the common signs of heart and lung trouble.
URGENT_TITLE = "Get urgent care now (an emergency department, or call your emergency number)"
URGENT = (
    "Back: numbness or a changed feeling in the groin, genitals, buttocks or inner thighs "
    "(the 'saddle' area).",
    "Back: new trouble passing water, or losing control of your bladder or bowels.",
    "Back: weakness in both legs, or legs that give way.",
    "Neck: sudden, severe neck or head pain unlike any before, with dizziness, double vision, "
    "slurred speech, trouble swallowing, a drooping face or loss of balance.",
    "Chest pain, pressure or tightness, or breathlessness that is new or does not settle "
    "when you rest.",
)
SOON_TITLE = "See a doctor or physiotherapist soon"
SOON = (
    "Pain that lasts more than a few weeks, keeps getting worse, or wakes you at night.",
    "Pain that spreads into a buttock or down a leg or arm, or comes with numbness, tingling "
    "or weakness in one limb.",
    "Back or neck pain after a fall or accident, or together with a fever, weight loss you "
    "cannot explain, or a past cancer.",
    "Tingling or numbness in the hands or fingers that keeps coming back.",
)
SOURCES = (
    "L. Finucane et al. 2020, International Framework for Red Flags for Potential Serious "
    "Spinal Pathologies, J Orthop Sports Phys Ther 50(7)",
    "A. Rushton et al. 2023, International IFOMPT Cervical Framework, J Orthop Sports Phys "
    "Ther 53(1)",
)
STOP = (
    "breakctl is not treatment and cannot tell what causes a pain. Stop any move that hurts "
    "and do not push through pain, numbness or dizziness."
)


def safety_text(width: int | None = None) -> str:
    """The full two-tier text of `breakctl safety`, as plain lines; with `width`, wrapped to
    it, each item's later lines indented under its text."""
    import textwrap  # only here: the screens import this module for its constants

    lines = [STOP, "", URGENT_TITLE + ":"]
    lines += [f"  - {sign}" for sign in URGENT]
    lines += ["", SOON_TITLE + " if you have:"]
    lines += [f"  - {sign}" for sign in SOON]
    lines += ["", "Based on:"]
    lines += [f"  - {source}" for source in SOURCES]
    if width is None:
        return "\n".join(lines)
    indent = " " * 4
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent=indent if line.startswith("  - ") else "")
        or line
        for line in lines
    )


# The last thing a break says: slumping straight back into the chair undoes the break.
POSTURE_RESET = (
    "Before you sit down: feet flat, hips to the back of the seat, shoulders low, "
    "eyes level with the top of the screen."
)
# After a break spent in the chair there is no sitting down again: settle, and stand soon.
SEATED_RESET = (
    "You stayed in your chair for this one: settle back (feet flat, hips to the back of the "
    "seat, shoulders low) and stand up at the next chance you get."
)


def posture_reset(seated: bool) -> str:
    """The closing line of a break or routine; `seated`: it was spent in the chair."""
    return SEATED_RESET if seated else POSTURE_RESET

"""Words of care shown beside the exercises. Pure text: no imports, safe for any layer."""

# Shown in `routine show`, on the pain presets, in the help of `start` and `routine`, in the
# README, and (wired by the screens) at the start of the first break of a day.
SAFETY = (
    "breakctl is not treatment. Stop any move that hurts. See a doctor or physiotherapist if "
    "pain lasts, gets worse, spreads into a buttock or down a leg, or comes with numbness or "
    "weakness."
)

# The last thing a break says: slumping straight back into the chair undoes the break.
POSTURE_RESET = (
    "Before you sit down: feet flat, hips to the back of the seat, shoulders low, "
    "eyes level with the top of the screen."
)

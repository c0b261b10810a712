"""Case register, per-case integrity declarations and case risk assessments."""

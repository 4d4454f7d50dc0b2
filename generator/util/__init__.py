"""Small helpers the stages share that are about running, not about disclosure."""

"""rapporteur: the questionnaire cycle of a National Rapporteur on trafficking in human beings."""

__version__ = "0.1.0"

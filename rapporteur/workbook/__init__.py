"""Questionnaire workbooks: their layout, writing them, reading returns back."""

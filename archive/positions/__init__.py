"""Positions: the stance a statement takes toward a topic or an agreement provision, and how statements
answer each other (replies, denials, confirmations, repetitions, contradictions)."""

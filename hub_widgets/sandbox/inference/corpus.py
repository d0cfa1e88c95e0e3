"""The small built-in corpus the sandbox language engines learn their n-grams from (written for this project)."""

from __future__ import annotations

CORPUS = """
The harbour town woke early every morning. Fishermen carried their nets down to the boats, and the
smell of fresh bread drifted from the bakery on the corner. The sea was calm and the sky was clear.
Children ran along the beach while their parents talked about the weather and the price of fish.

Paris is the capital of France. Berlin is the capital of Germany. London is the capital of England.
The river flows through the city, and many bridges cross it. People walk along the river in the
evening and watch the lights of the city on the water.

A good model learns from data. The model reads many examples and finds the patterns that connect
them. When the data is clean, the model is accurate; when the data is noisy, the model makes
mistakes. Researchers share their models on the Hub so that other people can test them, improve
them and build new tools.

The old library kept thousands of books. Some books told stories of kings and queens, others
explained the stars, the tides and the seasons. A quiet reader could spend a whole day there,
moving from one shelf to the next, and leave with more questions than answers.

In the kitchen the cook prepared a simple meal. She chopped fresh vegetables, warmed the soup and
baked a small cake for dessert. The food was warm and the table was full of friends. Everyone agreed
that it was the best dinner of the year.

The team played a great game on Sunday. The crowd cheered when the captain scored the winning goal,
and the players celebrated with their fans. The coach said that the team worked hard all season and
deserved the victory.

Travellers love the mountain road. It climbs through green forests and past quiet lakes, and at the
top the view reaches all the way to the sea. In winter the snow covers the road and the village
below becomes a white and silent place.

Learning a new skill takes time and patience. It is good to practise a little every day, to ask
questions and to learn from mistakes. With practice, hard things become easy and easy things
become a pleasure.
"""

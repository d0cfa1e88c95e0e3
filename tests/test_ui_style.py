"""The one stylesheet: every view's root gets the class its rules key on, and the rules once."""

from __future__ import annotations

import ipywidgets as W

from hub_widgets.ui.style import NARROW_PX, ROOT_CLASS, STYLESHEET, style_root


def test_style_root_adds_the_class_and_one_stylesheet_first():
    box = W.VBox([W.Text(description="Name")])
    style_root(style_root(box))
    assert ROOT_CLASS in box._dom_classes
    styles = [c for c in box.children if isinstance(c, W.HTML) and "hubw-style" in c._dom_classes]
    assert len(styles) == 1 and box.children[0] is styles[0]
    assert styles[0].value == f"<style>{STYLESHEET}</style>"


def test_the_rules_stack_labels_when_narrow_and_never_cut_labels_or_buttons():
    assert f"@container hubw (max-width: {NARROW_PX}px)" in STYLESHEET
    assert "flex-direction: column" in STYLESHEET
    assert "min-width: max-content" in STYLESHEET  # buttons as wide as their text
    assert "<" not in STYLESHEET  # constant CSS: nothing can close the <style> element

"""Small-cell protection, case by case: what a table of counts may publish."""
from __future__ import annotations

import pytest

from pbapp.metrics.suppression import (COMPLEMENTARY, SMALL, THRESHOLD, Protected, is_small,
                                       narrowed, protect_counts, protect_linked)


def test_one_to_ten_is_small_zero_and_eleven_are_not():
    assert [n for n in range(0, 13) if is_small(n)] == list(range(1, 11))
    assert THRESHOLD == 11
    assert not is_small(None)


def test_without_a_total_only_small_cells_are_hidden():
    p = protect_counts([0, 1, 10, 11, 40])
    assert p == Protected({1: SMALL, 2: SMALL}, None)


def test_zero_stays_visible_even_next_to_a_hidden_cell():
    p = protect_counts([0, 5, 30, 0, 25], 60)
    assert 0 not in p.hidden and 3 not in p.hidden
    assert p.hidden[1] == SMALL


def test_one_small_cell_gets_the_smallest_visible_non_zero_cell_as_complement():
    p = protect_counts([40, 3, 0, 25, 60], 128)
    assert p.hidden == {1: SMALL, 3: COMPLEMENTARY}
    assert p.total_hidden is None


def test_two_small_cells_that_could_only_be_1_and_1_get_a_complement():
    # hidden sum 2 forces both to be 1
    p = protect_counts([1, 1, 60], 62)
    assert p.hidden == {0: SMALL, 1: SMALL, 2: COMPLEMENTARY}
    assert p.total_hidden is None


def test_two_small_cells_that_could_only_be_10_and_10_get_a_complement():
    p = protect_counts([10, 10, 30, 45], 95)
    assert p.hidden == {0: SMALL, 1: SMALL, 2: COMPLEMENTARY}


def test_two_small_cells_with_room_to_move_need_no_complement():
    p = protect_counts([4, 7, 30], 41)
    assert p.hidden == {0: SMALL, 1: SMALL}


def test_only_small_cells_that_add_up_exactly_hide_the_total():
    p = protect_counts([10, 10], 20)
    assert p == Protected({0: SMALL, 1: SMALL}, COMPLEMENTARY)
    assert protect_counts([10, 10, 0], 20).total_hidden == COMPLEMENTARY


def test_a_complement_of_exactly_11_is_not_enough_when_it_pins_the_rest():
    # [1, 1, 11] under 13: with 11 hidden as "at least 11" the 1s are still forced
    p = protect_counts([1, 1, 11], 13)
    assert p.total_hidden == COMPLEMENTARY


def test_a_small_total_is_hidden_with_its_cells():
    p = protect_counts([3, 0, 4], 7)
    assert p == Protected({0: SMALL, 2: SMALL}, SMALL)


def test_a_zero_total_is_shown():
    assert protect_counts([0, 0], 0) == Protected({}, None)


def test_nothing_small_nothing_hidden():
    assert protect_counts([20, 0, 31], 51) == Protected({}, None)


def test_people_not_recorded_act_as_a_hidden_remainder():
    # 50 people, 15 in no group: the remainder is never published, so it alone protects the 5
    p = protect_counts([5, 30], 50)
    assert p == Protected({0: SMALL}, None)


def test_a_small_remainder_alone_does_not_protect_a_small_cell_it_could_be_worked_out_with():
    # 5 + 30 + remainder 1 = 36: the 5 and the 1 are both "1..10" and add up to 6: 1..5 each
    assert protect_counts([5, 30], 36).hidden == {0: SMALL}
    # 1 + 40 + remainder 1: both must be 1
    p = protect_counts([1, 40], 42)
    assert p.hidden == {0: SMALL, 1: COMPLEMENTARY}


def test_a_total_below_the_cells_sum_protects_against_the_sum():
    p = protect_counts([5, 30, 20], 40)  # people in several groups
    assert p.hidden == {0: SMALL, 2: COMPLEMENTARY}
    assert p.total_hidden is None


def test_shown_is_the_complement_of_hidden():
    p = protect_counts([1, 1, 60], 62)
    assert [p.shown(i) for i in range(3)] == [False, False, False]
    assert protect_counts([20, 5, 30], 55).shown(2)


def test_linked_tables_hide_a_total_a_sibling_table_would_add_up_to():
    values = {"T": 20, "a1": 10, "a2": 10, "g1": 20, "g2": 0}
    hidden = protect_linked(values, [("T", ["a1", "a2"]), ("T", ["g1", "g2"])])
    assert hidden == {"a1": SMALL, "a2": SMALL, "T": COMPLEMENTARY, "g1": COMPLEMENTARY}


def test_linked_tables_keep_cells_hidden_elsewhere_hidden():
    values = {"T": 60, "a": 20, "b": 40}
    hidden = protect_linked(values, [("T", ["a", "b"])], hidden={"a": COMPLEMENTARY})
    assert hidden == {"a": COMPLEMENTARY, "b": COMPLEMENTARY}


def test_narrowed_is_what_a_reader_can_work_out():
    values = {"T": 62, "a": 1, "b": 1, "c": 60}
    ranges = narrowed(values, [("T", ["a", "b", "c"])], {"a": SMALL, "b": SMALL})
    assert ranges["a"] == ranges["b"] == (1, 1)
    ranges = narrowed(values, [("T", ["a", "b", "c"])],
                      {"a": SMALL, "b": SMALL, "c": COMPLEMENTARY})
    assert ranges["a"] == (1, 10) and ranges["c"] == (42, 60)

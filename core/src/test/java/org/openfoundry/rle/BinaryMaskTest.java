package org.openfoundry.rle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

class BinaryMaskTest {

  @Test
  void starts_empty_and_sets_and_clears_single_pixels() {
    BinaryMask mask = new BinaryMask(3, 4);

    mask.set(2, 3, true);
    mask.set(0, 1, true);
    mask.set(0, 1, false);

    assertThat(mask.get(2, 3)).isTrue();
    assertThat(mask.get(0, 1)).isFalse();
    assertThat(mask.area()).isEqualTo(1);
    assertThat(mask.toRows()).containsExactly("0000", "0000", "0001");
  }

  @Test
  void reads_rows_top_row_first_and_gives_them_back() {
    List<String> rows = List.of("01000", "01010", "00010");

    BinaryMask mask = BinaryMask.fromRows(rows);

    assertThat(mask.height()).isEqualTo(3);
    assertThat(mask.width()).isEqualTo(5);
    assertThat(mask.get(0, 1)).isTrue();
    assertThat(mask.get(1, 3)).isTrue();
    assertThat(mask.get(0, 3)).isFalse();
    assertThat(mask.area()).isEqualTo(4);
    assertThat(mask.toRows()).isEqualTo(rows);
  }

  @Test
  void runs_down_the_columns_first() {
    BinaryMask mask = BinaryMask.fromRows(List.of("01", "00"));

    assertThat(mask.runs()).containsExactly(2, 1, 1);
  }

  @Test
  void fills_runs_across_word_boundaries() {
    BinaryMask mask = new BinaryMask(200, 1);

    mask.fill(60, 130);
    mask.fill(64, 64);
    mask.fill(199, 200);

    assertThat(mask.area()).isEqualTo(71);
    assertThat(mask.runs()).containsExactly(60, 70, 69, 1);
  }

  @Test
  void equals_another_mask_with_the_same_size_and_pixels() {
    BinaryMask one = BinaryMask.fromRows(List.of("010", "110"));
    BinaryMask same = new BinaryMask(2, 3);
    same.set(0, 1, true);
    same.set(1, 0, true);
    same.set(1, 1, true);

    assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(one).isNotEqualTo(BinaryMask.fromRows(List.of("010", "100")));
    assertThat(new BinaryMask(2, 3)).isNotEqualTo(new BinaryMask(3, 2));
    assertThat(one).hasToString("BinaryMask[height=2, width=3, area=3]");
  }

  @Test
  void rejects_rows_of_unequal_length() {
    assertThatThrownBy(() -> BinaryMask.fromRows(List.of("010", "01")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessage("mask row 1 has 2 columns, expected 3");
  }

  @Test
  void rejects_characters_other_than_zero_and_one() {
    assertThatThrownBy(() -> BinaryMask.fromRows(List.of("010", "0x0")))
        .isInstanceOf(FoundryException.class)
        .hasMessage("mask row 1, column 1: expected '0' or '1', got 'x'");
  }

  @Test
  void rejects_pixels_outside_the_mask() {
    BinaryMask mask = new BinaryMask(2, 3);

    assertThatThrownBy(() -> mask.get(2, 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("pixel (row 2, column 0) is outside the 2 x 3 mask");
    assertThatThrownBy(() -> mask.set(0, -1, true)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void rejects_negative_and_oversized_dimensions() {
    assertThatThrownBy(() -> new BinaryMask(-1, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("height -1");
    assertThatThrownBy(() -> new BinaryMask(65_536, 65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 2147483647 pixels");
  }

  @Test
  void holds_a_mask_without_pixels() {
    BinaryMask mask = BinaryMask.fromRows(List.of());

    assertThat(mask.height()).isZero();
    assertThat(mask.width()).isZero();
    assertThat(mask.area()).isZero();
    assertThat(mask.runs()).containsExactly(0);
  }
}

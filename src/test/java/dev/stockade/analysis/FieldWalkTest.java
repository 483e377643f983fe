package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.analysis.bdd.Bdd;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldWalkTest {

    @Test
    void decompose_unionOfRanges_maximalIntervals() {
        Bdd bdd = new Bdd(8);
        int set = bdd.or(bdd.range(0, 8, 10, 20), bdd.range(0, 8, 21, 30));
        set = bdd.or(set, bdd.range(0, 8, 200, 255));
        assertEquals(
                List.of(new FieldWalk.Piece(10, 30, Bdd.TRUE), new FieldWalk.Piece(200, 255, Bdd.TRUE)),
                FieldWalk.decompose(bdd, set, 0, 8));
    }

    @Test
    void decompose_keepFalse_coversTheWholeField() {
        Bdd bdd = new Bdd(4);
        int set = bdd.range(0, 4, 3, 5);
        assertEquals(
                List.of(
                        new FieldWalk.Piece(0, 2, Bdd.FALSE),
                        new FieldWalk.Piece(3, 5, Bdd.TRUE),
                        new FieldWalk.Piece(6, 15, Bdd.FALSE)),
                FieldWalk.decompose(bdd, set, 0, 4, true));
    }

    @Test
    void decompose_restBelowTheField_pieceLeadsToIt() {
        Bdd bdd = new Bdd(6);
        int below = bdd.variable(5);
        int set = bdd.and(bdd.range(0, 4, 8, 15), below);
        assertEquals(List.of(new FieldWalk.Piece(8, 15, below)), FieldWalk.decompose(bdd, set, 0, 4));
    }

    @Test
    void decompose_variableAboveTheField_refused() {
        Bdd bdd = new Bdd(6);
        assertThrows(IllegalArgumentException.class, () -> FieldWalk.decompose(bdd, bdd.variable(0), 2, 4));
    }
}

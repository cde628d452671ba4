package io.vertable.shared.dice;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pieces around the engine: dialect names, variables, inline rolls, roll modes, the secure source. */
class DiceApiTest {

    @Test
    void dialectNames() {
        assertThat(Dialect.ROLL20.wireName()).isEqualTo("roll20");
        assertThat(Dialect.FOUNDRY.wireName()).isEqualTo("foundry");
        assertThat(Dialect.fromName("Roll20")).contains(Dialect.ROLL20);
        assertThat(Dialect.fromName("FOUNDRY")).contains(Dialect.FOUNDRY);
        assertThat(Dialect.fromName(null)).isEmpty();
        assertThat(Dialect.fromName("fantasygrounds")).isEmpty();
    }

    @Test
    void variablesFollowDottedPathsAndReadNumericStrings() {
        Variables sheet = Variables.of(new JsonObject()
                .put("str", 3)
                .put("dex", "-1.5")
                .put("name", "Grog")
                .put("flag", true)
                .put("odd.key", 7)
                .put("abilities", new JsonObject().put("str", new JsonObject().put("mod", "+4")))
                .put("items", new JsonArray().add(new JsonObject().put("qty", 2))));
        assertThat(sheet.lookup("str")).hasValue(3);
        assertThat(sheet.lookup("dex")).hasValue(-1.5);
        assertThat(sheet.lookup("abilities.str.mod")).hasValue(4);
        assertThat(sheet.lookup("odd.key")).hasValue(7);
        assertThat(sheet.lookup("items.0.qty")).hasValue(2);
        assertThat(sheet.lookup("name")).isEmpty();
        assertThat(sheet.lookup("flag")).isEmpty();
        assertThat(sheet.lookup("abilities.str")).isEmpty();
        assertThat(sheet.lookup("abilities.dex.mod")).isEmpty();
        assertThat(sheet.lookup("items.5.qty")).isEmpty();
        assertThat(Variables.of(new JsonObject().put("x", "1d6")).lookup("x")).isEmpty();
        assertThat(Variables.of(new JsonObject().put("x", "NaN")).lookup("x")).isEmpty();
        assertThat(Variables.of(null).lookup("x")).isEmpty();
        assertThat(Variables.NONE.lookup("str")).isEmpty();
    }

    @Test
    void inlineRolls() {
        assertThat(InlineRolls.find("I hit [[1d20+5]] for [[2d6]]"))
                .containsExactly(new InlineRolls.Span(6, 16, "1d20+5"), new InlineRolls.Span(21, 28, "2d6"));
        assertThat(InlineRolls.find("best of [[ {1d6,1d8}kh1 ]]!"))
                .containsExactly(new InlineRolls.Span(8, 26, " {1d6,1d8}kh1 "));
        assertThat(InlineRolls.find("[[1d20[STR]]] then [[1d4[a] + 1[b]]]"))
                .containsExactly(
                        new InlineRolls.Span(0, 13, "1d20[STR]"), new InlineRolls.Span(19, 36, "1d4[a] + 1[b]"));
        assertThat(InlineRolls.find("no rolls [here] or [[unclosed")).isEmpty();
        assertThat(InlineRolls.find("[[]] [[1]]"))
                .containsExactly(new InlineRolls.Span(0, 4, ""), new InlineRolls.Span(5, 10, "1"));
        assertThat(InlineRolls.find(null)).isEmpty();
        String text = "roll [[ 2d6 + 3 ]] now";
        InlineRolls.Span span = InlineRolls.find(text).get(0);
        assertThat(text.substring(span.start(), span.end())).isEqualTo("[[ 2d6 + 3 ]]");
        Roll roll = DiceEngine.roll(span.expression(), Dialect.ROLL20, null, new Scripted(1, 2));
        assertThat(roll.total()).isEqualTo(6);
    }

    @Test
    void secureSourceStaysInRange() {
        DiceSource secure = DiceSource.secure();
        assertThat(secure).isSameAs(DiceSource.secure());
        for (int faces : List.of(1, 2, 3, 7, 100, Integer.MAX_VALUE)) {
            for (int i = 0; i < 1000; i++) assertThat(secure.roll(faces)).isBetween(1, faces);
        }
    }

    @Test
    void parsedExpressionsAreReusedAcrossRollsAndThreads() throws Exception {
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        Roll roll = DiceEngine.roll("{4d6+3d8}k4 + 2d20kh1", Dialect.ROLL20, null, DiceSource.secure());
                        assertThat(roll.total()).isBetween(5.0, 50.0);
                        assertThat(roll.draws()).hasSize(9);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) thread.join();
        assertThat(failure[0]).isNull();
    }
}

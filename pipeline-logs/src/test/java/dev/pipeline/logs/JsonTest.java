package dev.pipeline.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

class JsonTest {

    @Test
    void readsMembersInOrderWithStringsUnescaped() throws Exception {
        Map<String, String> o =
                Json.readObject(
                        " {\"a\":\"x\\\"y\\\\z\\/\",\"b\":\"\\b\\f\\n"
                                + "\\r"
                                + "\\t\", \"c\" : \"plain\"} ");
        assertThat(o)
                .containsExactly(
                        Map.entry("a", "x\"y\\z/"),
                        Map.entry("b", "\b\f\n\r\t"),
                        Map.entry("c", "plain"));
    }

    @Test
    void decodesUnicodeEscapesIncludingSurrogatePairs() throws Exception {
        assertThat(Json.readObject("{\"m\":\"caf\\u00e9 \\uD83D\\uDE00 \\u0041\"}"))
                .containsEntry("m", "caf\u00e9 \ud83d\ude00 A");
        assertThat(Json.readObject("{\"m\":\"\u00e9t\u00e9 as is\"}"))
                .containsEntry("m", "\u00e9t\u00e9 as is");
    }

    @Test
    void keepsOtherValuesAsTheirJsonText() throws Exception {
        Map<String, String> o =
                Json.readObject(
                        "{\"n\":-12.5e+3,\"t\":true,\"f\":false,\"z\":null,"
                                + "\"o\":{\"k\":[1,{\"x\":\"]}\"}]},\"a\":[],\"e\":{}}");
        assertThat(o)
                .containsEntry("n", "-12.5e+3")
                .containsEntry("t", "true")
                .containsEntry("f", "false")
                .containsEntry("z", "null")
                .containsEntry("o", "{\"k\":[1,{\"x\":\"]}\"}]}")
                .containsEntry("a", "[]")
                .containsEntry("e", "{}");
    }

    @Test
    void aRepeatedNameKeepsItsLastValue() throws Exception {
        assertThat(Json.readObject("{\"a\":\"1\",\"a\":\"2\"}"))
                .containsExactly(Map.entry("a", "2"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[]",
                "{",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\":1,}",
                "{a:1}",
                "{\"a\":\"unterminated}",
                "{\"a\":\"bad \\q escape\"}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":01}",
                "{\"a\":1.}",
                "{\"a\":tru}",
                "{\"a\":\"tab\tinside\"}",
                "{\"a\":1} trailing",
                "{\"a\":[1,2}"
            })
    void refusesWhatIsNotExactlyOneObject(String text) {
        assertThatThrownBy(() -> Json.readObject(text))
                .isInstanceOf(Json.SyntaxException.class)
                .hasMessageStartingWith("bad JSON at column ");
    }

    @Test
    void quoteEscapesWhatJsonRequiresAndKeepsUnicode() throws Exception {
        String s = "say \"hi\"\\ \n\t\u0001 caf\u00e9 \ud83d\ude00";
        String quoted = Json.quote(s);
        assertThat(quoted).isEqualTo("\"say \\\"hi\\\"\\\\ \\n\\t\\u0001 caf\u00e9 \ud83d\ude00\"");
        assertThat(Json.readObject("{\"k\":" + quoted + "}")).containsEntry("k", s);
    }
}

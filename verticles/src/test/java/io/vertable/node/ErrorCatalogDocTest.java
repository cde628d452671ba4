package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.shared.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrorCatalogDocTest {

    @Test
    void docsListEveryCodeWithItsStatusAndMeaning() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "errors.md"));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(doc)
                    .as("docs/errors.md documents " + code)
                    .contains("| `" + code.name() + "` | " + code.httpStatus() + " | " + code.meaning() + " |");
        }
    }
}

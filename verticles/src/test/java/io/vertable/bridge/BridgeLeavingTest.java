package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A bridge node that stops tells its clients to go elsewhere before it closes: each socket is closed with "going
 * away" (1001), the code on which a page reconnects at once instead of after a backoff.
 */
class BridgeLeavingTest {

    @Test
    void aStoppingNodeClosesItsSocketsWithGoingAway() {
        Node node = Node.start(TestNodes.config(TestNodes.standalone(
                "leaving", "http:1,bridge:1,persistence:1,map:1", TestStorage.freshDatabase("leaving"))));
        Vertx clients = Vertx.vertx();
        try {
            Table table = Table.create(new Rest(node.httpPort()), "Leaving");
            BridgeClient socket = BridgeClient.open(clients, node.bridgePort(), table.gmToken());
            socket.register(Addresses.roomGm(table.roomId()));

            assertThat(node.shutdown()).isTrue();

            assertThat(socket.awaitClosed(Duration.ofSeconds(20))).isTrue();
            assertThat(socket.closeStatus()).as(socket.closeReason()).isEqualTo((short) 1001);
            socket.close();
        } finally {
            node.shutdown();
            clients.close().await();
        }
    }
}

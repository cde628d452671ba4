package io.vertable.kit.bus;

import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which nodes this node's event bus routes each address to, as the cluster manager last told it. After a member's JVM
 * dies, the cluster drops its registrations seconds later (later still on a busy host); until then a send can be
 * routed to it and is lost. Knowing the view lets {@link Departures} keep re-sending while the dead member can still
 * be chosen, and send again at once what waits on an address when the view drops it.
 */
public final class Routes {

    private final Map<String, Set<String>> nodesByAddress = new ConcurrentHashMap<>();
    private volatile Change onChange = (address, before, now) -> {};

    /** A change of one address's view: {@code before} is null when no update was seen for it yet. */
    interface Change {
        void changed(String address, Set<String> before, Set<String> now);
    }

    /** Wraps the event bus's listener: the bus sees every update first, so a re-send goes by the new view. */
    public RegistrationListener watching(RegistrationListener bus) {
        return new RegistrationListener() {
            @Override
            public void registrationsUpdated(RegistrationUpdateEvent event) {
                bus.registrationsUpdated(event);
                updated(event.address(), event.registrations());
            }

            @Override
            public void registrationsLost() {
                bus.registrationsLost();
                nodesByAddress.clear();
            }

            @Override
            public boolean wantsUpdatesFor(String address) {
                return bus.wantsUpdatesFor(address);
            }
        };
    }

    /** The nodes {@code address} was last known to be routed to; empty when no update was seen for it. */
    Set<String> nodesOf(String address) {
        return nodesByAddress.getOrDefault(address, Set.of());
    }

    void onChange(Change listener) {
        onChange = listener;
    }

    void updated(String address, java.util.List<RegistrationInfo> registrations) {
        Set<String> nodes = registrations == null
                ? Set.of()
                : registrations.stream().map(RegistrationInfo::nodeId).collect(Collectors.toUnmodifiableSet());
        // An address nobody serves any more is forgotten: addresses come and go with rooms and sessions.
        Set<String> before = nodes.isEmpty() ? nodesByAddress.remove(address) : nodesByAddress.put(address, nodes);
        onChange.changed(address, before, nodes);
    }
}

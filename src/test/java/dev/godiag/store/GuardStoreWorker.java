package dev.godiag.store;

import dev.godiag.guard.model.Outbox;

import java.util.List;

/**
 * A guard process that dies inside a transaction: {@code GuardStoreWorker DB ALERT_ID} records the
 * firing transition of alert ALERT_ID (target job "crash", two deliveries, a watch state) and, with
 * every row written but before the commit, prints "inside" and waits to be killed.
 */
public final class GuardStoreWorker {
    private GuardStoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        try (Database d = Database.open(StoreLocation.parse(args[0], null))) {
            GuardRepository repo = new GuardRepository(d);
            repo.beforeCommit = () -> {
                System.out.println("inside");
                System.out.flush();
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            repo.recordTransition(GuardStoreContract.firing(args[1], GuardStoreContract.target("crash", "c:1")),
                    List.of(new Outbox.Pending("webhook", "http://127.0.0.1:1/hook", java.util.Map.of(), new byte[]{1}),
                            new Outbox.Pending("alertmanager", "http://127.0.0.1:1", java.util.Map.of(), new byte[]{2})),
                    "{\"crash\":true}");
            System.out.println("committed");
        }
    }
}

package dev.godiag.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A second process hammering a store: {@code StoreWorker DB NAME WORKER SAVES [BYTES]} saves SAVES
 * runs of baseline NAME (label WORKER-i, a second input of BYTES bytes when given) and reads the
 * latest run and the list after each; prints "ok N".
 */
public final class StoreWorker {
    private StoreWorker() {
    }

    public static void main(String[] args) {
        String db = args[0];
        String name = args[1];
        String worker = args[2];
        int saves = Integer.parseInt(args[3]);
        byte[] big = new byte[args.length > 4 ? Integer.parseInt(args[4]) : 0];
        java.util.Arrays.fill(big, (byte) 'x');
        try (Database d = Database.open(StoreLocation.parse(db, null))) {
            BaselineRepository s = new BaselineRepository(d);
            for (int i = 0; i < saves; i++) {
                String label = worker + "-" + i;
                s.save(name, label, "worker " + label,
                        List.of(new BaselineRepository.Input("bench.txt", "bench",
                                ("BenchmarkX-8 100 " + i + " ns/op\n").getBytes(StandardCharsets.UTF_8)),
                                new BaselineRepository.Input("big.bin", "other", big)),
                        List.of(new BaselineRepository.Metric("gc.pause.p95", "ms", List.of((double) i, i + 0.5))));
                if (s.latest(name).isEmpty() || s.list().isEmpty()) {
                    throw new AssertionError("nothing read back after a save");
                }
            }
            System.out.println("ok " + saves);
        } catch (RuntimeException e) {
            System.out.println("error " + e);
            System.exit(1);
        }
    }
}

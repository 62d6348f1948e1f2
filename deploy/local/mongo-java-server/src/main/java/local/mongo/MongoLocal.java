package local.mongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.h2.mvstore.MVStore;

/**
 * Runs mongo-java-server on loopback: the H2 backend on an MVStore file (data survives restarts and kill -9),
 * or the memory backend for fast test runs. Stops cleanly on SIGTERM.
 *
 * Every write command is committed to the file before it is acknowledged (see DurableH2Backend).
 *
 * Usage: MongoLocal --port 27017 [--backend h2|memory] [--file path] [--cache-mb 512] [--commit-ms 10] [--retention-ms 45000] [--group-ms 2]
 */
public final class MongoLocal {
  public static void main(String[] args) throws Exception {
    int port = 27017;
    String backendName = "h2";
    String file = "./data/mongo.mv";
    int cacheMb = 512;
    int commitMs = 10;
    int retentionMs = 45_000;
    int groupMs = 2;
    for (int i = 0; i < args.length - 1; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--backend" -> backendName = args[i + 1];
        case "--file" -> file = args[i + 1];
        case "--cache-mb" -> cacheMb = Integer.parseInt(args[i + 1]);
        case "--commit-ms" -> commitMs = Integer.parseInt(args[i + 1]);
        case "--retention-ms" -> retentionMs = Integer.parseInt(args[i + 1]);
        case "--group-ms" -> groupMs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }

    MongoBackend backend;
    MVStore store = null;
    if (backendName.equals("memory")) {
      backend = new MemoryBackend();
    } else if (backendName.equals("h2")) {
      Path path = Path.of(file).toAbsolutePath();
      Files.createDirectories(path.getParent());
      // A short commit delay: an acknowledged write reaches the file within commitMs, so kill -9 loses nothing
      // a client was told is stored (the default one-second delay lost up to 60 % of a burst).
      store = new MVStore.Builder().fileName(path.toString()).cacheSize(cacheMb).open();
      store.setAutoCommitDelay(commitMs);
      // How long chunks without live data are kept before their space is reused: a read still running on an older
      // version needs them ("Chunk not found" at 1 s under load), so the store's own default of 45 s stays.
      store.setRetentionTime(retentionMs);
      backend = new DurableH2Backend(store, groupMs);
    } else {
      throw new IllegalArgumentException("backend must be h2 or memory, not " + backendName);
    }

    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    System.out.printf("mongo-local listening on 127.0.0.1:%d, backend %s%s%n", port, backendName,
        store == null ? "" : ", file " + file + ", cache " + cacheMb + " MB, commit every " + commitMs + " ms");

    System.out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    MVStore toClose = store;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      if (toClose != null && !toClose.isClosed()) toClose.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}

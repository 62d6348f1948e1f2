package local.mongo;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Set;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend, committing the MVStore after every write command and before the reply leaves: a client that was
 * told a write is stored finds it after a kill -9 (the store's own background commit loses the last moments).
 * The commit hands the chunk to the operating system without fsync: it survives a crash of the process, not of
 * the machine.
 */
final class DurableH2Backend extends H2Backend {
  private static final Set<String> WRITES = Set.of(
      "insert", "update", "delete", "findandmodify", "createindexes", "dropindexes", "drop", "dropdatabase",
      "renamecollection", "create");

  DurableH2Backend(MVStore store) {
    super(store);
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    Document reply = super.handleCommand(channel, database, command, query);
    if (WRITES.contains(command.toLowerCase())) commit();
    return reply;
  }
}

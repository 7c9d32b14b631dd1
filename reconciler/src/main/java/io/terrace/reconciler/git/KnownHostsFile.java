package io.terrace.reconciler.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * The one known_hosts file the daemon trusts: a server whose host key is listed there for its
 * host name (or address) is accepted; an unknown, changed or revoked key is refused, never added,
 * and the reason goes to {@code refusals} as one line naming the host and the file.
 *
 * <p>Unlike OpenSSH's {@code StrictHostKeyChecking=ask}, nobody is there to ask, and unlike
 * {@code accept-new} the first connection is not trusted blindly: the operator writes the file
 * (for instance with {@code ssh-keyscan}), as Flux asks for its {@code known_hosts}.
 * {@code @cert-authority} lines are not supported and are skipped.
 */
final class KnownHostsFile implements ServerKeyDatabase {

    private static final String REVOKED = "revoked";

    private final Path file;
    private final Consumer<String> refusals;

    KnownHostsFile(Path file, Consumer<String> refusals) {
        this.file = file;
        this.refusals = refusals;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        List<PublicKey> keys = new ArrayList<>();
        try {
            for (Entry entry : entries(HostPort.candidates(connectAddress, remoteAddress))) {
                if (!entry.revoked()) {
                    keys.add(entry.key());
                }
            }
        } catch (IOException e) {
            // accept() reports the unreadable file; lookup only orders the key algorithms.
        }
        return keys;
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        List<HostPort> candidates = HostPort.candidates(connectAddress, remoteAddress);
        String host = candidates.get(0).toString();
        List<Entry> entries;
        try {
            entries = entries(candidates);
        } catch (NoSuchFileException e) {
            refusals.accept("host key of " + host + " cannot be checked: known_hosts file " + file
                    + " does not exist (write it with ssh-keyscan; see docs/operations.md)");
            return false;
        } catch (IOException e) {
            refusals.accept("host key of " + host + " cannot be checked: cannot read " + file + ": " + e.getMessage());
            return false;
        }
        // A @revoked line wins over any line that lists the same key, wherever it stands.
        if (entries.stream().anyMatch(e -> e.revoked() && KeyUtils.compareKeys(serverKey, e.key()))) {
            refusals.accept("host key of " + host + " is marked @revoked in " + file + ": refused");
            return false;
        }
        if (entries.stream().anyMatch(e -> !e.revoked() && KeyUtils.compareKeys(serverKey, e.key()))) {
            return true;
        }
        boolean listed = entries.stream().anyMatch(e -> !e.revoked());
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        refusals.accept(listed
                ? "host key of " + host + " (" + fingerprint + ") does not match the one in " + file
                        + ": refused (the server's key changed, or something is in between)"
                : "host key of " + host + " (" + fingerprint + ") is not in " + file
                        + ": refused (add the host's key to that file, e.g. with ssh-keyscan)");
        return false;
    }

    /** The usable entries of the file for any of the candidates, in file order. */
    private List<Entry> entries(List<HostPort> candidates) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        List<Entry> matching = new ArrayList<>();
        for (KnownHostEntry line : KnownHostEntry.readKnownHostEntries(file)) {
            String marker = line.getMarker();
            if (line.getKeyEntry() == null || (marker != null && !REVOKED.equals(marker))
                    || candidates.stream().noneMatch(c -> line.isHostMatch(c.host(), c.port()))) {
                continue;
            }
            try {
                PublicKey key = line.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
                if (key != null) {
                    matching.add(new Entry(key, REVOKED.equals(marker)));
                }
            } catch (GeneralSecurityException e) {
                // A line this client cannot decode vouches for nothing; the others still count.
            }
        }
        return matching;
    }

    private record Entry(PublicKey key, boolean revoked) {
    }

    /** A host as known_hosts names it: {@code host} on port 22, {@code [host]:port} elsewhere. */
    record HostPort(String host, int port) {

        /** The host as the URL names it first, then the address actually connected to. */
        static List<HostPort> candidates(String connectAddress, InetSocketAddress remoteAddress) {
            List<HostPort> candidates = new ArrayList<>();
            parse(connectAddress).ifPresent(candidates::add);
            HostPort remote = new HostPort(remoteAddress.getAddress() != null
                    ? remoteAddress.getAddress().getHostAddress() : remoteAddress.getHostString(), remoteAddress.getPort());
            if (!candidates.contains(remote)) {
                candidates.add(remote);
            }
            return candidates;
        }

        /** {@code [host]:port}, {@code host:port} or {@code host}, as JGit gives the connect address. */
        static Optional<HostPort> parse(String address) {
            if (address == null || address.isEmpty()) {
                return Optional.empty();
            }
            String host = address;
            int port = 22;
            try {
                if (address.startsWith("[")) {
                    int end = address.indexOf(']');
                    host = address.substring(1, end);
                    if (address.length() > end + 2 && address.charAt(end + 1) == ':') {
                        port = Integer.parseInt(address.substring(end + 2));
                    }
                } else if (address.indexOf(':') > 0 && address.indexOf(':') == address.lastIndexOf(':')) {
                    host = address.substring(0, address.indexOf(':'));
                    port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
                }
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            return Optional.of(new HostPort(host, port));
        }

        @Override
        public String toString() {
            return port == 22 ? host : "[" + host + "]:" + port;
        }
    }
}

package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB table {@value #TABLE} of one account and region, where a daemon (or
 * {@code terrace apply}) holds the lease that lets it apply there. A lease is taken or renewed
 * by one conditional {@code PutItem} (free, expired, or already ours), released by a conditional
 * {@code DeleteItem}; the table is created on first use. Times come from the caller's clock.
 */
public final class LeaseTable {

    public static final String TABLE = "terrace-locks";

    /** Who asks for a lease. @param owner unique to one daemon or CLI run; node and source are for display */
    public record Claimant(String owner, String node, String source) {
        public Claimant {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(source, "source");
        }
    }

    /** A lease as the table holds it. */
    public record Lease(String id, Claimant holder, Instant acquiredAt, Instant expiresAt) {
        public boolean heldBy(Claimant c) {
            return holder.owner().equals(c.owner());
        }

        /** "NODE (SOURCE) since T", the words status reasons and the CLI use. */
        public String describe() {
            return holder.node() + (holder.source().isBlank() ? "" : " (" + holder.source() + ")") + " since " + acquiredAt;
        }
    }

    private static final String ID = "id";
    private static final String OWNER = "owner";
    private static final String NODE = "node";
    private static final String SOURCE = "source";
    private static final String ACQUIRED = "acquiredAt";
    private static final String EXPIRES = "expiresAt";

    private final DynamoDbClient dynamo;

    public LeaseTable(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /**
     * Takes the lease {@code id}, or renews it when {@code me} holds it already, until
     * {@code now + ttl}.
     *
     * @param acquiredAt when {@code me} first took it (kept across renewals)
     * @return the lease the table holds now: {@code me}'s when taken, else the other holder's
     * @throws SdkException when DynamoDB cannot be read or written
     */
    public Lease take(String id, Claimant me, Instant acquiredAt, Instant now, Duration ttl) {
        Lease wanted = new Lease(id, me, acquiredAt, now.plus(ttl));
        for (int attempt = 0; ; attempt++) {
            try {
                put(wanted, now);
                return wanted;
            } catch (ResourceNotFoundException e) {
                if (attempt >= 2) {
                    throw e;
                }
                create();
            } catch (ConditionalCheckFailedException e) {
                Optional<Lease> current = read(id);
                // Released between the put and the read: try again.
                if (current.isPresent() || attempt >= 2) {
                    return current.orElseThrow(() -> e);
                }
            }
        }
    }

    /** Gives the lease up if {@code me} still holds it; someone else's lease is left alone. */
    public void release(String id, Claimant me) {
        try {
            dynamo.deleteItem(b -> b.tableName(TABLE).key(Map.of(ID, s(id)))
                    .conditionExpression("#owner = :me")
                    .expressionAttributeNames(Map.of("#owner", OWNER))
                    .expressionAttributeValues(Map.of(":me", s(me.owner()))));
        } catch (ConditionalCheckFailedException | ResourceNotFoundException e) {
            // Not ours (any more), or no table: nothing to give up.
        }
    }

    /** The lease {@code id} as stored, expired or not. */
    public Optional<Lease> read(String id) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(TABLE).key(Map.of(ID, s(id)))
                    .consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Lease(id,
                    new Claimant(text(item, OWNER), text(item, NODE), text(item, SOURCE)),
                    time(item, ACQUIRED), time(item, EXPIRES)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Free, expired on the caller's clock, or ours: the three ways a put may succeed. */
    private void put(Lease lease, Instant now) {
        dynamo.putItem(b -> b.tableName(TABLE)
                .item(Map.of(ID, s(lease.id()), OWNER, s(lease.holder().owner()), NODE, s(lease.holder().node()),
                        SOURCE, s(lease.holder().source()), ACQUIRED, n(lease.acquiredAt()),
                        EXPIRES, n(lease.expiresAt())))
                .conditionExpression("attribute_not_exists(#id) OR #expires < :now OR #owner = :me")
                .expressionAttributeNames(Map.of("#id", ID, "#expires", EXPIRES, "#owner", OWNER))
                .expressionAttributeValues(Map.of(":now", n(now), ":me", s(lease.holder().owner()))));
    }

    /** On-demand billing: a few writes a minute cost next to nothing. */
    private void create() {
        try {
            dynamo.createTable(b -> b.tableName(TABLE)
                    .attributeDefinitions(d -> d.attributeName(ID).attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName(ID).keyType(KeyType.HASH))
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .tags(t -> t.key(ObservedResource.MANAGED_BY).value("terrace")));
        } catch (ResourceInUseException e) {
            // Another daemon created it at the same moment.
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(TABLE));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(Instant t) {
        return AttributeValue.fromN(Long.toString(t.toEpochMilli()));
    }

    private static String text(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null || v.s() == null ? "" : v.s();
    }

    private static Instant time(Map<String, AttributeValue> item, String key) {
        AttributeValue v = item.get(key);
        return v == null || v.n() == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }
}

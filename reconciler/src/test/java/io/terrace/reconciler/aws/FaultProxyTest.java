package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.reconciler.aws.FaultProxy.Call;
import io.terrace.reconciler.aws.FaultProxy.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The fault proxy names requests as the SDK v2 clients send them (shapes recorded from their wire output). */
class FaultProxyTest {

    private static String auth(String service) {
        return "AWS4-HMAC-SHA256 Credential=testing/20261204/eu-west-1/" + service
                + "/aws4_request, SignedHeaders=amz-sdk-invocation-id;host;x-amz-date, Signature=0f3c";
    }

    private static Map<String, List<String>> headers(String service, String... more) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("Authorization", List.of(auth(service)));
        for (int i = 0; i < more.length; i += 2) {
            h.put(more[i], List.of(more[i + 1]));
        }
        return h;
    }

    private static Call call(String method, String path, String query, Map<String, List<String>> h, String body) {
        return FaultProxy.identify(method, path, query, h, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonProtocolsAreNamedByTheirTarget() {
        var h = headers("ecs", "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateService",
                "Content-Type", "application/x-amz-json-1.1");
        assertEquals(new Call("ecs", "CreateService"), call("POST", "/", null, h, "{\"cluster\":\"c\"}"));
        assertEquals(Protocol.JSON, FaultProxy.protocol(new Call("ecs", "CreateService"), h));
        assertEquals(new Call("secretsmanager", "CreateSecret"), call("POST", "/", null,
                headers("secretsmanager", "X-Amz-Target", "secretsmanager.CreateSecret"), "{}"));
        assertEquals(new Call("kms", "CreateKey"), call("POST", "/", null,
                headers("kms", "X-Amz-Target", "TrentService.CreateKey"), "{}"));
    }

    @Test
    void queryProtocolsAreNamedByTheActionOfTheirFormBody() {
        var h = headers("rds", "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        assertEquals(new Call("rds", "CreateDBCluster"), call("POST", "/", null, h,
                "Action=CreateDBCluster&Version=2014-10-31&DBClusterIdentifier=acme-dev&Engine=aurora-mysql"));
        assertEquals(Protocol.QUERY, FaultProxy.protocol(new Call("rds", "CreateDBCluster"), h));
        assertEquals(new Call("iam", "CreateRole"), call("POST", "/", null,
                headers("iam", "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                "Version=2010-05-08&Action=CreateRole&RoleName=acme-dev-task"));
        assertEquals(new Call("monitoring", "PutMetricAlarm"), call("POST", "/", null,
                headers("monitoring", "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                "Action=PutMetricAlarm&Version=2010-08-01"));
        assertEquals(new Call("ec2", "DescribeManagedPrefixLists"), call("POST", "/", null,
                headers("ec2", "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                "Action=DescribeManagedPrefixLists&Version=2016-11-15"));
        assertEquals(Protocol.EC2, FaultProxy.protocol(new Call("ec2", "DescribeManagedPrefixLists"), h));
        assertEquals(new Call("sts", "GetCallerIdentity"), call("GET", "/", "Action=GetCallerIdentity&Version=2011-06-15",
                headers("sts"), ""));
    }

    @Test
    void s3IsNamedByMethodPathAndSubresource() {
        var h = headers("s3");
        assertEquals(new Call("s3", "CreateBucket"), call("PUT", "/acme-dev-assets", null, h, ""));
        assertEquals(new Call("s3", "PutBucketTagging"), call("PUT", "/acme-dev-assets", "tagging", h, "<Tagging/>"));
        assertEquals(new Call("s3", "GetBucketVersioning"), call("GET", "/acme-dev-assets", "versioning", h, ""));
        assertEquals(new Call("s3", "HeadBucket"), call("HEAD", "/acme-dev-assets", null, h, ""));
        assertEquals(new Call("s3", "ListBuckets"), call("GET", "/", null, h, ""));
        assertEquals(new Call("s3", "PutObject"), call("PUT", "/acme-dev-assets/index.html", null, h, "x"));
        assertEquals(Protocol.S3, FaultProxy.protocol(new Call("s3", "CreateBucket"), h));
    }

    @Test
    void cloudFrontAndOpenSearchAreNamedByTheirRestPaths() {
        var cf = headers("cloudfront");
        assertEquals(new Call("cloudfront", "CreateDistributionWithTags"),
                call("POST", "/2020-05-31/distribution", "WithTags", cf, "<DistributionConfigWithTags/>"));
        assertEquals(new Call("cloudfront", "CreateDistribution"), call("POST", "/2020-05-31/distribution", null, cf, "<x/>"));
        assertEquals(new Call("cloudfront", "ListDistributions"), call("GET", "/2020-05-31/distribution", null, cf, ""));
        assertEquals(new Call("cloudfront", "GetDistributionConfig"),
                call("GET", "/2020-05-31/distribution/E2QWRUHAPOMQZL/config", null, cf, ""));
        assertEquals(new Call("cloudfront", "UpdateDistribution"),
                call("PUT", "/2020-05-31/distribution/E2QWRUHAPOMQZL/config", null, cf, "<x/>"));
        assertEquals(new Call("cloudfront", "CreateOriginAccessControl"),
                call("POST", "/2020-05-31/origin-access-control", null, cf, "<x/>"));
        assertEquals(Protocol.REST_XML, FaultProxy.protocol(new Call("cloudfront", "UpdateDistribution"), cf));
        var es = headers("es", "Content-Type", "application/json");
        assertEquals(new Call("es", "CreateDomain"), call("POST", "/2021-01-01/opensearch/domain", null, es, "{}"));
        assertEquals(new Call("es", "DescribeDomain"), call("GET", "/2021-01-01/opensearch/domain/acme-dev", null, es, ""));
        assertEquals(new Call("es", "UpdateDomainConfig"),
                call("POST", "/2021-01-01/opensearch/domain/acme-dev/config", null, es, "{}"));
        assertEquals(Protocol.REST_JSON, FaultProxy.protocol(new Call("es", "CreateDomain"), es));
    }
}

package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * A stand-in for an environment's network stack in the data-service tests: a real CloudFormation
 * stack on moto with a VPC, two private subnets in two zones and a data security group (so RDS
 * finds real subnets), observed with the output names the network driver publishes.
 */
final class DataTestNetwork {

    private static final String TEMPLATE = """
            {"Resources":{
              "Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.20.0.0/16"}},
              "PrivateA":{"Type":"AWS::EC2::Subnet","Properties":{"VpcId":{"Ref":"Vpc"},
                "CidrBlock":"10.20.1.0/24","AvailabilityZone":"eu-west-1a"}},
              "PrivateB":{"Type":"AWS::EC2::Subnet","Properties":{"VpcId":{"Ref":"Vpc"},
                "CidrBlock":"10.20.2.0/24","AvailabilityZone":"eu-west-1b"}},
              "Data":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":"data",
                "VpcId":{"Ref":"Vpc"}}}},
             "Outputs":{
              "VpcId":{"Value":{"Ref":"Vpc"}},
              "PrivateSubnetIds":{"Value":{"Fn::Join":[",",[{"Ref":"PrivateA"},{"Ref":"PrivateB"}]]}},
              "DataSecurityGroupId":{"Value":{"Fn::GetAtt":["Data","GroupId"]}}}}
            """;

    private DataTestNetwork() {}

    static ObservedResource create(AwsClients aws, String env) {
        String name = ResourceNames.networkStack(env);
        String stackId = aws.cloudFormation.createStack(r -> r.stackName(name).templateBody(TEMPLATE)).stackId();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("zones", 2);
        for (Output o : aws.cloudFormation.describeStacks(r -> r.stackName(name)).stacks().get(0).outputs()) {
            attributes.put("outputs." + o.outputKey(), o.outputValue());
        }
        attributes.put("outputs.LoadBalancerDnsName", "terrace-" + env + "-1234567890.eu-west-1.elb.amazonaws.com");
        return new ObservedResource(env + "/network/stack", ResourceType.NETWORK_STACK, stackId, attributes,
                Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, env));
    }
}

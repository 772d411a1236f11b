// EC2's VPC reads over Skiff's VPC record: shapes of the XML, filters (including tags and wildcards), id lists and
// EC2's NotFound and InvalidParameterValue errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Backend } from '../../store/types.js';
import { keys, type Vpc } from '../records.js';
import { defaultVpcLayout } from '../vpc.js';
import { answerEc2, zoneId } from './describe.js';

let store: Backend;
let vpc: Vpc;
const ctx = () => ({ store, region: 'ap-northeast-2', accountId: '111122223333' });
const ask = (params: Record<string, string>) =>
  answerEc2(ctx(), new URLSearchParams({ Version: '2016-11-15', ...params }));
const items = (xml: string, member: string) =>
  [...xml.matchAll(new RegExp(`<${member}>([^<]+)</${member}>`, 'g'))].map((m) => m[1]);

before(async () => {
  store = await openStore({ kind: 'memory' });
  vpc = defaultVpcLayout('ap-northeast-2', 'skiff');
  await store.create(keys.vpc(vpc.vpcId), JSON.stringify(vpc));
});
after(() => store.close());

describe('EC2 Describe* over the VPC', () => {
  it('names zones as EC2 does', () => {
    assert.equal(zoneId('ap-northeast-2a'), 'apne2-az1');
    assert.equal(zoneId('us-east-1c'), 'use1-az3');
  });

  it('lists the subnets, and filters them by VPC, tag and wildcard', async () => {
    const all = await ask({ Action: 'DescribeSubnets' });
    assert.equal(all.status, 200);
    assert.match(
      all.xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeSubnetsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/">/,
    );
    assert.equal(items(all.xml, 'subnetId').length, 4);
    const internal = await ask({
      Action: 'DescribeSubnets',
      'Filter.1.Name': 'vpc-id',
      'Filter.1.Value.1': vpc.vpcId,
      'Filter.2.Name': 'tag:kubernetes.io/role/internal-elb',
      'Filter.2.Value.1': '1',
    });
    assert.deepEqual(items(internal.xml, 'mapPublicIpOnLaunch'), ['false', 'false']);
    const zoneA = await ask({
      Action: 'DescribeSubnets',
      'Filter.1.Name': 'availability-zone',
      'Filter.1.Value.1': '*2a',
    });
    assert.equal(items(zoneA.xml, 'subnetId').length, 2);
    const one = await ask({ Action: 'DescribeSubnets', 'SubnetId.1': vpc.subnets[0].subnetId });
    assert.deepEqual(items(one.xml, 'subnetId'), [vpc.subnets[0].subnetId]);
  });

  it('answers unknown ids, filters and actions with EC2 errors', async () => {
    const missing = await ask({ Action: 'DescribeSubnets', 'SubnetId.1': 'subnet-nope' });
    assert.equal(missing.status, 400);
    assert.match(
      missing.xml,
      /<Code>InvalidSubnetID.NotFound<\/Code><Message>The subnet ID 'subnet-nope' does not exist<\/Message>/,
    );
    const filter = await ask({ Action: 'DescribeVpcs', 'Filter.1.Name': 'bogus', 'Filter.1.Value.1': 'x' });
    assert.match(filter.xml, /<Code>InvalidParameterValue<\/Code><Message>The filter 'bogus' is invalid<\/Message>/);
    const action = await ask({ Action: 'RunInstances' });
    assert.match(action.xml, /<Code>InvalidAction<\/Code>/);
    const vpcMissing = await ask({ Action: 'DescribeVpcs', 'VpcId.1': 'vpc-nope' });
    assert.match(vpcMissing.xml, /InvalidVpcID.NotFound/);
  });

  it('describes the VPC, its route tables, security groups and zones', async () => {
    assert.deepEqual(items((await ask({ Action: 'DescribeVpcs' })).xml, 'vpcId'), [vpc.vpcId]);
    const tables = await ask({
      Action: 'DescribeRouteTables',
      'Filter.1.Name': 'association.subnet-id',
      'Filter.1.Value.1': vpc.subnets[0].subnetId,
    });
    assert.deepEqual(items(tables.xml, 'routeTableId').slice(0, 1), [vpc.subnets[0].routeTableId]);
    assert.ok(items(tables.xml, 'gatewayId').includes(vpc.internetGatewayId));
    const groups = await ask({ Action: 'DescribeSecurityGroups', 'GroupId.1': vpc.clusterSecurityGroupId });
    assert.deepEqual(items(groups.xml, 'groupName'), ['eks-cluster-sg-skiff']);
    const zones = await ask({ Action: 'DescribeAvailabilityZones' });
    assert.deepEqual(items(zones.xml, 'zoneName'), ['ap-northeast-2a', 'ap-northeast-2b']);
  });
});

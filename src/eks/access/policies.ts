// EKS access policies: the four Amazon-managed policies an access entry can be associated with, their ARNs, and
// the Kubernetes permissions each grants. EKS documents each policy as the permissions of the Kubernetes
// ClusterRole it mirrors (cluster-admin, admin, edit, view); Skiff grants exactly that role's rules, read from
// the RBAC cache, so a policy follows the role's aggregation as it changes.
export interface AccessPolicy {
  name: string;
  arn: string;
  clusterRole: string;
}

const arnOf = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

export const accessPolicies: AccessPolicy[] = [
  { name: 'AmazonEKSAdminPolicy', arn: arnOf('AmazonEKSAdminPolicy'), clusterRole: 'admin' },
  { name: 'AmazonEKSClusterAdminPolicy', arn: arnOf('AmazonEKSClusterAdminPolicy'), clusterRole: 'cluster-admin' },
  { name: 'AmazonEKSEditPolicy', arn: arnOf('AmazonEKSEditPolicy'), clusterRole: 'edit' },
  { name: 'AmazonEKSViewPolicy', arn: arnOf('AmazonEKSViewPolicy'), clusterRole: 'view' },
];

export const policyByArn = (arn: string) => accessPolicies.find((p) => p.arn === arn);

export const clusterAdminPolicyArn = arnOf('AmazonEKSClusterAdminPolicy');

// Who a request is. An Authenticator turns a bearer token into a user, or undefined when the token is not its
// kind (the kube API tries each in turn: the admin token, then EKS `k8s-aws-v1.` tokens).

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export type Authenticator = (token: string) => Promise<UserInfo | undefined>;

// Who a request is. An Authenticator turns a bearer token into a user, or undefined when the token is not its
// kind (the kube API tries each in turn: the admin token, then EKS `k8s-aws-v1.` tokens). An authenticator that
// knows audiences (ServiceAccount tokens) checks the token against the ones asked for (default: the API's) and says
// which matched; the others are audience-agnostic (TokenReview gives them the API's).

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** A user, with the audiences the token matched when its authenticator knows audiences. */
export interface AuthenticatedUser extends UserInfo {
  audiences?: string[];
}

export type Authenticator = (token: string, audiences?: string[]) => Promise<AuthenticatedUser | undefined>;

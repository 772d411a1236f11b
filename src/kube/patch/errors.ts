// The Status errors patching answers with, as kube-apiserver's patch handler maps them: malformed patches are
// 400 BadRequest, patches that cannot apply are 422 Invalid (message in details.causes). The strategic-merge
// errors kube-apiserver passes through as 500s (a merge key missing from a list item, mixed list element types)
// are the patch's fault, so Skiff answers them 400 with the same text: no request gets a 500 (issue 15).
import { ApiError, statusFailure } from '../api/errors.js';

export function patchBadRequest(message: string): ApiError {
  return new ApiError(statusFailure(400, 'BadRequest', message));
}

/** errors.NewGenericServerResponse(422, …): a fixed message, the patch library's text as the one cause. */
export function patchUnprocessable(message: string): ApiError {
  return new ApiError(
    statusFailure(422, 'Invalid', 'the server rejected our request due to an error in our request', {
      causes: [{ reason: 'UnexpectedServerResponse', message }],
    }),
  );
}

export function patchTooLarge(message: string): ApiError {
  return new ApiError(statusFailure(413, 'RequestEntityTooLarge', message));
}

/** The texts of k8s.io/apimachinery/pkg/util/mergepatch. */
export const mergePatchErrors = {
  badJsonDoc: 'invalid JSON document',
  noListOfLists: 'lists of lists are not supported',
  badPrimitiveList: 'invalid patch format of primitive list',
  badRetainKeys: 'invalid patch format of retainKeys',
  badSetElementOrder: 'invalid patch format of setElementOrder list',
  notMatchRetainKeys: "patch content doesn't match retainKeys list",
};

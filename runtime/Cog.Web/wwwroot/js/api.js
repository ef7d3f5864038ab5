// The REST API, with the person's token. The token lives in sessionStorage (gone when the tab closes), is sent only in
// the Authorization header and never appears in a URL.

const TokenKey = 'cog.token';
const UserKey = 'cog.username';
const PermissionsKey = 'cog.permissions';

export const session = {
  get token() { return sessionStorage.getItem(TokenKey); },
  get username() { return sessionStorage.getItem(UserKey); },
  get signedIn() { return !!sessionStorage.getItem(TokenKey); },
  /** The person's permissions (GET /v1/users/me/permissions), or null until they are known. */
  get permissions() {
    const text = sessionStorage.getItem(PermissionsKey);
    return text ? new Set(JSON.parse(text)) : null;
  },
  set permissions(list) { sessionStorage.setItem(PermissionsKey, JSON.stringify(list)); },
  save(token, username) {
    sessionStorage.setItem(TokenKey, token);
    sessionStorage.setItem(UserKey, username);
    sessionStorage.removeItem(PermissionsKey);
  },
  clear() {
    sessionStorage.removeItem(TokenKey);
    sessionStorage.removeItem(UserKey);
    sessionStorage.removeItem(PermissionsKey);
  },
};

/** Thrown for any answer the caller did not ask to handle: carries the status and a message for people. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const listeners = new Set();

/** Called with no arguments when the server no longer accepts the token (401). */
export function onSignedOut(listener) { listeners.add(listener); }

/** Sends a request; answers {status, body}. 401 signs the person out; other non-2xx answers throw ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = `token ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  } catch {
    throw new ApiError(0, 'Cog cannot be reached. Is the server running?');
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (response.status === 401 && session.token) {
    session.clear();
    listeners.forEach(l => l());
    throw new ApiError(401, json?.error === 'token expired' ? 'Your session expired: sign in again.' : 'Sign in again.');
  }
  if (!response.ok) throw new ApiError(response.status, errorText(response.status, json));
  return { status: response.status, body: json };
}

/** The message of a Cog error envelope ({"errors": "..."} or field errors, {"error": "..."}). */
export function errorText(status, json) {
  if (status === 403) return json?.errors && typeof json.errors === 'string' ? json.errors : 'You do not have the permission for this.';
  const errors = json?.errors ?? json?.error;
  if (typeof errors === 'string') return errors;
  if (errors && typeof errors === 'object') {
    return Object.entries(errors).map(([field, value]) => `${field}: ${Array.isArray(value) ? value.join(', ') : JSON.stringify(value)}`).join('; ');
  }
  return `The server answered ${status}.`;
}

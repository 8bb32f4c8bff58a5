// The dashboard's only way to the server: GraphQL over HTTP for reads and actions, one graphql-ws socket for
// live data, and REST only for what GraphQL leaves to it (the multipart deploy upload). The credential (an API
// key or token the user typed) lives in sessionStorage; with an OIDC login the HttpOnly cookie does the work.
import { createClient } from 'graphql-ws';

const KEY = 'vibed.token';

export const auth = {
  token: () => sessionStorage.getItem(KEY),
  set(token) {
    sessionStorage.setItem(KEY, token);
    resetSocket();
  },
  clear() {
    sessionStorage.removeItem(KEY);
    resetSocket();
  },
};

function headers(extra) {
  const h = { ...extra };
  const t = auth.token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

/** An error with the server's {code, message}, and the HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message, extra) {
    super(message || code || 'request failed (' + status + ')');
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

export async function gql(query, variables) {
  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' }),
    body: JSON.stringify({ query, variables }),
  });
  let body = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  if (res.status === 401) {
    throw new ApiError(401, 'unauthorized', body?.message || 'log in first', { challenge: res.headers.get('www-authenticate') });
  }
  const err = body?.errors?.[0];
  if (err) throw new ApiError(err.extensions?.status || res.status, err.extensions?.code, err.message);
  if (!res.ok || !body) throw new ApiError(res.status, body?.code, body?.message);
  return body.data;
}

let socket = null;

function resetSocket() {
  if (socket) socket.dispose();
  socket = null;
}

function client() {
  if (!socket) {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
    socket = createClient({
      url,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      connectionParams: () => (auth.token() ? { Authorization: 'Bearer ' + auth.token() } : {}),
    });
  }
  return socket;
}

/** Subscribes; onData gets each payload's data, onError the first error. Returns the unsubscribe function. */
export function subscribe(query, variables, onData, onError) {
  return client().subscribe(
    { query, variables },
    {
      next: (msg) => {
        if (msg.errors?.length) onError?.(new ApiError(msg.errors[0].extensions?.status, msg.errors[0].extensions?.code, msg.errors[0].message));
        else onData(msg.data);
      },
      error: (e) => onError?.(e instanceof Error ? e : new Error(e?.reason || 'connection lost')),
      complete: () => {},
    },
  );
}

/**
 * POST /v1/deploy as multipart with upload progress (fetch cannot report it). Resolves with {status, body}
 * for 200, 202 and 422 (a failed deploy is an answer, not an error); rejects with ApiError otherwise.
 */
export function deploy(file, metadata, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    if (metadata) form.append('metadata', JSON.stringify(metadata));
    form.append('source', file, file.name || 'source.tar.gz');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/deploy');
    const t = auth.token();
    if (t) xhr.setRequestHeader('Authorization', 'Bearer ' + t);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload failed: the server could not be reached'));
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if ([200, 202, 422].includes(xhr.status)) resolve({ status: xhr.status, body });
      else reject(new ApiError(xhr.status, body.code, body.message));
    };
    xhr.send(form);
  });
}

export async function rest(method, path) {
  const res = await fetch(path, { method, credentials: 'same-origin', headers: headers({ accept: 'application/json' }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.code, body.message);
  return body;
}

export const APP_FIELDS = `id name owner phase url template lane rule reason suspended activeVersion servingVersion
  restarts createdAt lastDeployedAt expiresAt`;

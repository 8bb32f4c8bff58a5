// GraphiQL for vibeD: queries and mutations over POST /graphql, subscriptions over the graphql-transport-ws
// WebSocket on the same path. A token typed into the headers pane as {"Authorization": "Bearer ..."} is sent
// on both, so the browser session acts as the same caller everywhere.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';

const http = new URL('/graphql', window.location.href);
const ws = new URL(http);
ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({
  url: http.href,
  subscriptionUrl: ws.href,
});

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
);

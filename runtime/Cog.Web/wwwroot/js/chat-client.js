// The connection to the web chat (a WebSocket to /console/chat on this origin). It lives while the person is signed
// in, whichever view is shown, and keeps every room's messages; views subscribe to changes.
import { session } from './api.js';

class ChatClient {
  constructor() {
    this.socket = null;
    this.rooms = [];          // [{id, name, direct, messages: []}]
    this.state = 'closed';    // closed | connecting | open | refused
    this.problem = null;
    this.listeners = new Set();
    this.retry = null;
    this.nextClientId = 1;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event) { this.listeners.forEach(l => l(event)); }

  connect() {
    if (this.socket || !session.signedIn) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/console/chat`);
    this.socket = socket;
    this.state = 'connecting';
    this.emit({ type: 'state' });
    // The token goes in the first frame, never in the URL (URLs end up in logs).
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', token: session.token })));
    socket.addEventListener('message', event => this.receive(JSON.parse(event.data)));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.state === 'refused' || !session.signedIn) return;
      this.state = 'closed';
      this.emit({ type: 'state' });
      this.retry = window.setTimeout(() => { this.retry = null; this.connect(); }, 2000);
    });
  }

  receive(frame) {
    switch (frame.type) {
      case 'ready':
        this.state = 'open';
        this.problem = null;
        this.rooms = frame.rooms.map(r => ({ ...r, messages: r.messages ?? [] }));
        this.emit({ type: 'ready' });
        break;
      case 'message': {
        const room = this.rooms.find(r => r.id === frame.room);
        if (!room) return;
        room.messages.push(frame);
        if (room.messages.length > 500) room.messages.shift();
        this.emit({ type: 'message', message: frame });
        break;
      }
      case 'error':
        if (this.state !== 'open') {
          this.state = 'refused';
          this.problem = frame.message;
          this.emit({ type: 'state' });
        } else {
          this.emit({ type: 'error', message: frame.message, clientId: frame.client_id });
        }
        break;
      default:
        break;
    }
  }

  /** Sends text to a room; answers the client id the echo will carry. */
  send(room, text) {
    if (!this.socket || this.state !== 'open') return null;
    const clientId = `c${this.nextClientId++}`;
    this.socket.send(JSON.stringify({ type: 'send', room, text, client_id: clientId }));
    return clientId;
  }

  close() {
    if (this.retry) window.clearTimeout(this.retry);
    this.retry = null;
    const socket = this.socket;
    this.socket = null;
    this.rooms = [];
    this.state = 'closed';
    if (socket) socket.close(1000);
  }
}

export const chat = new ChatClient();

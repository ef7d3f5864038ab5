import { chat } from '../chat-client.js';
import { h, replace, time } from '../dom.js';

const history = [];          // what this person sent, newest last (arrow-up recalls it)
let currentRoom = null;      // the room shown, kept across views

export default {
  title: 'Chat',
  render(main) {
    const roomsList = h('ul', { class: 'rooms' });
    const roomHeading = h('h2', { id: 'room-heading', class: 'room-heading' });
    const status = h('p', { class: 'chat-status', role: 'status' });
    const log = h('ol', { class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'room-heading', tabindex: '0' });
    const input = h('textarea', { id: 'chat-input', rows: 1, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', 'aria-describedby': 'chat-hint' });
    const label = h('label', { for: 'chat-input', class: 'visually-hidden' }, 'Message');
    const hint = h('p', { id: 'chat-hint', class: 'hint' });
    const send = h('button', { type: 'submit' }, 'Send');
    const problem = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'composer' }, label, input, send);

    main.append(
      h('h1', { class: 'visually-hidden' }, 'Chat'),
      h('div', { class: 'chat' },
        h('nav', { class: 'rooms-nav', 'aria-label': 'Rooms' }, h('h2', { class: 'rooms-title' }, 'Rooms'), roomsList),
        h('section', { class: 'conversation', 'aria-labelledby': 'room-heading' }, roomHeading, status, log, problem, form, hint)));

    let historyIndex = history.length;

    function roomLabel(room) { return room.direct ? 'Cog (direct)' : `#${room.name}`; }

    function drawRooms() {
      replace(roomsList, chat.rooms.map(room => h('li', {},
        h('button', {
          type: 'button',
          class: 'room',
          'aria-current': room.id === currentRoom ? 'true' : null,
          onclick: () => { currentRoom = room.id; drawRooms(); drawRoom(); input.focus(); },
        }, roomLabel(room)))));
    }

    function messageItem(m) {
      const body = h('div', { class: 'message-body' });
      body.innerHTML = m.html; // rendered and escaped by the server; the CSP forbids any script in it
      return h('li', { class: `message kind-${m.kind}${m.from_cog ? ' from-cog' : ''}`, dataset: { id: m.id } },
        h('div', { class: 'message-meta' }, h('span', { class: 'author' }, m.from_cog ? 'Cog' : m.author), ' ', time(m.time)),
        body);
    }

    function drawRoom() {
      const room = chat.rooms.find(r => r.id === currentRoom);
      if (!room) { replace(log); roomHeading.textContent = ''; return; }
      roomHeading.textContent = roomLabel(room);
      replace(log, room.messages.map(messageItem));
      input.placeholder = room.direct ? 'Type a pipeline, e.g. echo hello' : 'Start commands with !, e.g. !echo hello';
      hint.textContent = room.direct
        ? 'Everything you write here is a pipeline for Cog. Enter sends, Shift+Enter adds a line, ↑ recalls what you sent.'
        : 'Everyone signed in sees this room. Start a command with ! (or @cog). Enter sends, ↑ recalls what you sent.';
      log.scrollTop = log.scrollHeight;
    }

    function drawState() {
      const state = chat.state;
      send.disabled = state !== 'open';
      status.textContent = state === 'open' ? '' : state === 'connecting' ? 'Connecting…'
        : state === 'refused' ? `The chat refused the connection: ${chat.problem}` : 'Disconnected: reconnecting…';
    }

    function onEvent(event) {
      if (event.type === 'ready') {
        if (!chat.rooms.some(r => r.id === currentRoom)) currentRoom = chat.rooms[0]?.id ?? null;
        drawRooms();
        drawRoom();
      } else if (event.type === 'message' && event.message.room === currentRoom) {
        log.append(messageItem(event.message));
        log.scrollTop = log.scrollHeight;
      } else if (event.type === 'error') {
        problem.textContent = event.message;
      }
      drawState();
    }

    function submit() {
      const text = input.value.trim();
      if (!text) return;
      problem.textContent = '';
      // Before the chat is ready there is no room to send to; say so rather than swallow the Enter.
      if (!currentRoom || chat.send(currentRoom, text) === null) {
        problem.textContent = chat.state === 'connecting'
          ? 'Still connecting: the message was not sent.'
          : 'Not connected: the message was not sent.';
        return;
      }
      if (history[history.length - 1] !== text) history.push(text);
      historyIndex = history.length;
      input.value = '';
    }

    form.addEventListener('submit', event => { event.preventDefault(); submit(); input.focus(); });
    input.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        submit();
      } else if (event.key === 'ArrowUp' && (input.value === '' || historyIndex < history.length) && historyIndex > 0 && !input.value.slice(0, input.selectionStart).includes('\n')) {
        event.preventDefault();
        historyIndex -= 1;
        input.value = history[historyIndex];
      } else if (event.key === 'ArrowDown' && historyIndex < history.length && !input.value.slice(input.selectionEnd).includes('\n')) {
        event.preventDefault();
        historyIndex += 1;
        input.value = historyIndex < history.length ? history[historyIndex] : '';
      }
    });

    const unsubscribe = chat.subscribe(onEvent);
    chat.connect();
    if (chat.state === 'open') onEvent({ type: 'ready' });
    drawState();
    input.focus();
    input.setAttribute('autofocus', '');
    return () => unsubscribe();
  },
};

// Peer B of the benchmark: a Socket.IO 4 server doing a VTT room broadcast, as Foundry VTT-style servers do.
// A client emits "join" with a room name, then "move" with {r: room, ...}; the server relays the move to every
// member of the room (the sender included, as Vertable's bridge does, so the three systems deliver the same count).
// Listens on 127.0.0.1, port from argv[2] (0 = any free one), and prints "READY <port>" once listening.
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 0);
const httpServer = http.createServer();
const io = new Server(httpServer, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 1e6,
});

io.on('connection', (socket) => {
  socket.on('join', (room) => {
    if (typeof room === 'string' && room.length <= 64) socket.join(room);
  });
  socket.on('move', (move) => {
    if (move && typeof move.r === 'string') io.to(move.r).emit('move', move);
  });
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log('READY ' + httpServer.address().port);
});
process.on('SIGTERM', () => process.exit(0));

// The reference: a bare Fastify route returning a task-sized JSON object.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = {
  id: 'task_8xK2mP00000000',
  status: 'complete',
  sub_agent: 'crm-agent',
  user_id: null,
  mode: 'live',
  created_at: '2025-06-15T14:22:00Z',
  completed_at: '2025-06-15T14:22:07Z',
  prompt: 'Pull all contacts',
  result: { contacts: [{ name: 'Jane Smith', email: 'jane@example.com', company: 'Acme Corp' }] },
  metadata: { source: 'lead_enrichment_pipeline' },
};
app.get('/healthz', () => ({ status: 'ok' }));
app.get('/bare', () => body);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });

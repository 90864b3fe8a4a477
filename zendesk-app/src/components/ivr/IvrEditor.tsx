import { useEffect, useMemo, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Label, Select } from '@zendeskgarden/react-forms'
import { Alert } from '@zendeskgarden/react-notifications'
import { Tag } from '@zendeskgarden/react-tags'
import { XL } from '@zendeskgarden/react-typography'
import type { BridgeApi } from '../../bridge-api'
import { useAsync } from '../../hooks'
import { useI18n } from '../../i18n'
import { IvrApi, NODE_TYPES, type FlowDetail, type FlowLayout, type FlowProblem, type IvrFlow, type IvrNodeType } from '../../ivr-api'
import { ErrorState, Loading } from '../States'
import { addNode, freeNodeId, newNode, placeNodes, removeNode, renameNode, sameLayout } from './flow-model'
import { FlowGraph } from './FlowGraph'
import { FlowPicker } from './FlowPicker'
import { problemText } from './NodeCard'
import { NodePanel } from './NodePanel'
import { PreviewPanel } from './PreviewPanel'
import { VersionList } from './VersionList'

/** A new flow's first draft: a greeting and a goodbye, for the admin to build on. */
function starterFlow(): IvrFlow {
  return {
    start: 'welcome',
    nodes: {
      welcome: { type: 'say', text: { it: 'Benvenuto.', en: 'Welcome.' }, next: 'goodbye' },
      goodbye: { type: 'hangup', text: { it: 'Arrivederci.', en: 'Goodbye.' } },
    },
  }
}

/**
 * The IVR editor for Zendesk admins: pick a flow, edit it as a graph, validate it, walk it
 * with a preview, publish it as a new version, or roll back to an older one.
 */
export function IvrEditor({ api }: { api: BridgeApi }) {
  const { t } = useI18n()
  const ivr = useMemo(() => new IvrApi(api), [api])
  const [flows, reloadFlows] = useAsync(() => ivr.listFlows(), 'ivr-flows')
  const [queues] = useAsync(() => ivr.listQueues(), 'ivr-queues')
  const [flowId, setFlowId] = useState<string | null>(null)
  const [detail, setDetail] = useState<FlowDetail | null>(null)
  const [draft, setDraft] = useState<IvrFlow | null>(null)
  const [saved, setSaved] = useState<string>('')
  // Position of every node of the draft, and the positions of the version it was loaded from.
  const [layout, setLayout] = useState<FlowLayout>({})
  const [savedLayout, setSavedLayout] = useState<FlowLayout>({})
  const [problems, setProblems] = useState<FlowProblem[] | null>(null)
  // The definition, as JSON, that `problems` were found in.
  const [validated, setValidated] = useState<string | null>(null)
  const [walked, setWalked] = useState<string[]>([])
  const [selected, setSelected] = useState<string | null>(null)
  const [kind, setKind] = useState<IvrNodeType>('say')
  const [confirmPublish, setConfirmPublish] = useState(false)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<{ type: 'success' | 'error'; text: string } | null>(null)
  // A new key for each loaded flow or version, so the graph lays it out afresh.
  const [loadCount, setLoadCount] = useState(0)

  // Opens the first flow once the list arrives.
  useEffect(() => {
    if (flowId === null && flows.status === 'ready' && flows.value.length > 0) void openFlow(flows.value[0].id)
  }, [flows])

  const loadDraft = (flow: IvrFlow, storedLayout: FlowLayout | null, from: FlowDetail | null) => {
    const placed = placeNodes(flow, storedLayout ?? {})
    setDraft(flow)
    setSaved(JSON.stringify(flow))
    setLayout(placed)
    setSavedLayout(placed)
    setLoadCount((count) => count + 1)
    setDetail(from)
    setProblems(null)
    setValidated(null)
    setWalked([])
    setSelected(null)
    setConfirmPublish(false)
  }

  const guard = async (work: () => Promise<void>) => {
    setBusy(true)
    setNotice(null)
    try {
      await work()
    } catch (error) {
      setNotice({ type: 'error', text: (error as Error).message })
    } finally {
      setBusy(false)
    }
  }

  const openFlow = (id: string) =>
    guard(async () => {
      const loaded = await ivr.getFlow(id)
      setFlowId(id)
      loadDraft(loaded.definition, loaded.layout, loaded)
    })

  const openVersion = (version: number) =>
    guard(async () => {
      const loaded = await ivr.getVersion(flowId as string, version)
      loadDraft(loaded.definition, loaded.layout, detail)
      // The draft differs from the live version, so publishing it makes a new version.
      setSaved(JSON.stringify(detail?.definition))
      if (detail) setSavedLayout(placeNodes(detail.definition, detail.layout ?? {}))
      setNotice({ type: 'success', text: t('ivr.notice.opened', { version }) })
    })

  const changeDraft = (flow: IvrFlow, selectId?: string) => {
    setDraft(flow)
    setLayout((current) => placeNodes(flow, current))
    setWalked([])
    if (selectId !== undefined) setSelected(selectId)
  }

  const validate = async (flow: IvrFlow): Promise<boolean> => {
    const result = await ivr.validate(flow)
    setProblems(result.problems)
    setValidated(JSON.stringify(flow))
    return result.valid
  }

  const publish = () =>
    guard(async () => {
      setConfirmPublish(false)
      if (!draft || !flowId) return
      if (!(await validate(draft))) {
        setNotice({ type: 'error', text: t('ivr.notice.not_published') })
        return
      }
      try {
        const created = await ivr.publish(flowId, draft, detail?.version ?? 0, layout)
        const loaded = await ivr.getFlow(flowId)
        loadDraft(loaded.definition, loaded.layout, loaded)
        reloadFlows()
        setNotice({ type: 'success', text: t('ivr.notice.published', { version: created.version }) })
      } catch (error) {
        // A queue deleted since the check makes the bridge refuse; the new check shows where.
        await validate(draft).catch(() => undefined)
        throw error
      }
    })

  const rollback = (version: number) =>
    guard(async () => {
      if (!flowId) return
      const created = await ivr.rollback(flowId, version)
      const loaded = await ivr.getFlow(flowId)
      loadDraft(loaded.definition, loaded.layout, loaded)
      reloadFlows()
      setNotice({ type: 'success', text: t('ivr.notice.rolled_back', { version, created: created.version }) })
    })

  const add = () => {
    if (!draft) return
    const id = freeNodeId(draft, kind)
    const defaultQueue = queues.status === 'ready' ? (queues.value[0]?.id ?? '') : ''
    changeDraft(addNode(draft, id, newNode(kind, defaultQueue)), id)
  }

  const moveNodes = (moved: FlowLayout) => {
    if (!draft) return
    const rounded = Object.fromEntries(Object.entries(moved).map(([id, position]) => [id, { x: Math.round(position.x), y: Math.round(position.y) }]))
    setLayout((current) => placeNodes(draft, { ...current, ...rounded }))
  }

  const rename = (from: string, to: string) => {
    if (!draft) return
    setLayout((current) => {
      const { [from]: position, ...others } = current
      return position ? { ...others, [to]: position } : others
    })
    changeDraft(renameNode(draft, from, to), to)
  }

  const deleteNode = (id: string) => {
    if (!draft) return
    changeDraft(removeNode(draft, id))
    if (selected === id) setSelected(null)
  }

  if (flows.status === 'loading') return <Loading />
  if (flows.status === 'error') return <ErrorState message={flows.message} onRetry={reloadFlows} />
  const dirty = draft !== null && (JSON.stringify(draft) !== saved || !sameLayout(layout, savedLayout))
  // Publish stays off while the last Validate found problems in this very definition.
  const knownInvalid = problems !== null && problems.length > 0 && validated === JSON.stringify(draft)
  const flowProblems = (problems ?? []).filter((problem) => problem.node_id === null || !(draft && problem.node_id in draft.nodes))

  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <XL tag="h1">{t('ivr.title')}</XL>
      <FlowPicker
        flows={flows.value}
        selected={flowId}
        onSelect={(id) => void openFlow(id)}
        onCreate={(id) => {
          setFlowId(id)
          loadDraft(starterFlow(), null, null)
          setSaved('')
        }}
      />
      {notice && (
        <Alert type={notice.type} role={notice.type === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </Alert>
      )}
      {draft === null ? (
        <p style={{ color: '#68737d' }}>{t('ivr.empty')}</p>
      ) : (
        <>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'flex-end' }}>
            <Field>
              <Label>{t('ivr.toolbar.kind')}</Label>
              <Select value={kind} onChange={(event) => setKind(event.target.value as IvrNodeType)}>
                {NODE_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`ivr.kind.${type}`)}
                  </option>
                ))}
              </Select>
            </Field>
            <Button onClick={add}>{t('ivr.toolbar.add')}</Button>
            <Button disabled={busy} onClick={() => void guard(async () => void (await validate(draft)))}>
              {t('ivr.toolbar.validate')}
            </Button>
            <Button isPrimary disabled={busy || !dirty || knownInvalid} onClick={() => setConfirmPublish(true)}>
              {t('ivr.toolbar.publish')}
            </Button>
            <Button isBasic disabled={!dirty || detail === null} onClick={() => detail && loadDraft(detail.definition, detail.layout, detail)}>
              {t('ivr.toolbar.discard')}
            </Button>
            {dirty && <Tag hue="yellow">{t('ivr.toolbar.unsaved')}</Tag>}
            {problems !== null && problems.length === 0 && <Tag hue="green">{t('ivr.toolbar.valid')}</Tag>}
            {problems !== null && problems.length > 0 && <Tag hue="red">{t('ivr.toolbar.problems', { count: problems.length })}</Tag>}
          </div>
          {confirmPublish && (
            <Alert type="warning" role="alertdialog" aria-label={t('ivr.publish.title')}>
              <div>{t('ivr.publish.confirm', { id: flowId ?? '', version: (detail?.version ?? 0) + 1 })}</div>
              <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
                <Button size="small" isPrimary onClick={() => void publish()}>
                  {t('ivr.publish.button')}
                </Button>
                <Button size="small" onClick={() => setConfirmPublish(false)}>
                  {t('ivr.cancel')}
                </Button>
              </div>
            </Alert>
          )}
          {flowProblems.map((problem, index) => (
            <Alert key={index} type="error">
              {problem.node_id === null ? problemText(t, problem) : t('ivr.problem.on_missing_node', { id: problem.node_id, problem: problemText(t, problem) })}
            </Alert>
          ))}
          <div style={{ display: 'grid', gridTemplateColumns: selected && draft.nodes[selected] ? 'minmax(0, 1fr) 340px' : 'minmax(0, 1fr)', gap: 12 }}>
            <FlowGraph
              key={loadCount}
              flow={draft}
              layout={layout}
              problems={problems ?? []}
              walked={walked}
              selectedId={selected}
              onSelect={setSelected}
              onChange={changeDraft}
              onMove={moveNodes}
              onDeleteNode={deleteNode}
            />
            {selected && draft.nodes[selected] && (
              <NodePanel
                flow={draft}
                nodeId={selected}
                problems={(problems ?? []).filter((problem) => problem.node_id === selected)}
                queues={queues.status === 'ready' ? queues.value : []}
                onChange={changeDraft}
                onRename={rename}
                onDelete={deleteNode}
              />
            )}
          </div>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: 12 }}>
            <PreviewPanel ivr={ivr} flow={draft} onWalked={setWalked} />
            {detail && <VersionList detail={detail} busy={busy} onOpen={(version) => void openVersion(version)} onRollback={(version) => void rollback(version)} />}
          </div>
        </>
      )}
    </div>
  )
}

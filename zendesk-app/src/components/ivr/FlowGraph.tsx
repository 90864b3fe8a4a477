import { useEffect, useMemo, useState } from 'react'
import { applyNodeChanges, Background, Controls, ReactFlow, type Connection, type Edge, type Node, type NodeChange } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import type { FlowLayout, FlowProblem, IvrFlow } from '../../ivr-api'
import { useI18n } from '../../i18n'
import { layeredLayout, outputsOf, withOutput } from './flow-model'
import { NodeCard, outputLabel, type CardData } from './NodeCard'

const NODE_TYPES = { ivr: NodeCard }

export interface FlowGraphProps {
  flow: IvrFlow
  /** Position of each node. A node missing here gets the automatic layout's position. */
  layout: FlowLayout
  problems: FlowProblem[]
  /** Node ids in the order the last preview walked them. */
  walked: string[]
  selectedId: string | null
  onSelect(id: string | null): void
  onChange(flow: IvrFlow): void
  /** Receives the new positions of the nodes an admin dragged or moved with the arrow keys, once the move ends. */
  onMove(moved: FlowLayout): void
  onDeleteNode(id: string): void
}

/**
 * Draws the flow with React Flow: one card per node and one edge per link, labelled with
 * its key. Dragging from a card's bottom handle to another card sets that link. Cards sit
 * where `layout` puts them, and a card dragged elsewhere is reported through `onMove`.
 */
export function FlowGraph({ flow, layout, problems, walked, selectedId, onSelect, onChange, onMove, onDeleteNode }: FlowGraphProps) {
  const { t } = useI18n()
  const [nodes, setNodes] = useState<Array<Node<CardData>>>([])

  useEffect(() => {
    const automatic = layeredLayout(flow)
    setNodes((previous) => {
      const placed = new Map(previous.map((node) => [node.id, node]))
      return Object.entries(flow.nodes).map(([id, node]) => ({
        ...placed.get(id),
        id,
        type: 'ivr',
        // A card being dragged keeps following the pointer until the drag ends and reports its place.
        position: (placed.get(id)?.dragging ? placed.get(id)?.position : undefined) ?? layout[id] ?? automatic[id],
        selected: id === selectedId,
        data: {
          nodeId: id,
          node,
          isStart: id === flow.start,
          problems: problems.filter((problem) => problem.node_id === id),
          steps: walked.flatMap((walkedId, index) => (walkedId === id ? [index + 1] : [])),
        },
      }))
    })
  }, [flow, layout, problems, walked, selectedId])

  const edges = useMemo<Edge[]>(() => {
    const onPath = new Set(walked.slice(1).map((id, index) => `${walked[index]}>${id}`))
    return Object.entries(flow.nodes).flatMap(([id, node]) =>
      outputsOf(node)
        .filter((output) => output.target in flow.nodes)
        .map((output) => ({
          id: `${id}:${output.field}`,
          source: id,
          sourceHandle: output.field,
          target: output.target,
          label: outputLabel(t, node, output.field),
          animated: onPath.has(`${id}>${output.target}`),
          // Only a menu option can go; every other link is required and is changed by connecting it elsewhere.
          deletable: output.field.startsWith('options/'),
          style: onPath.has(`${id}>${output.target}`) ? { stroke: '#1f73b7', strokeWidth: 2 } : undefined,
        })),
    )
  }, [flow, walked, t])

  const connect = (connection: Connection) => {
    const node = flow.nodes[connection.source]
    if (!node || !connection.sourceHandle) return
    onChange({ ...flow, nodes: { ...flow.nodes, [connection.source]: withOutput(node, connection.sourceHandle, connection.target) } })
  }
  const changeNodes = (changes: Array<NodeChange<Node<CardData>>>) => {
    setNodes((current) => applyNodeChanges(changes, current))
    // React Flow sends position changes with dragging true during a drag, then one with dragging false when it ends.
    const moved: FlowLayout = {}
    for (const change of changes) {
      if (change.type === 'position' && change.position && !change.dragging) moved[change.id] = change.position
    }
    if (Object.keys(moved).length > 0) onMove(moved)
  }
  const deleteEdges = (deleted: Edge[]) => {
    const nodes = { ...flow.nodes }
    for (const edge of deleted) {
      const node = nodes[edge.source]
      if (node?.type !== 'menu' || !edge.sourceHandle?.startsWith('options/')) continue
      const options = { ...node.options }
      delete options[edge.sourceHandle.slice('options/'.length)]
      nodes[edge.source] = { ...node, options }
    }
    onChange({ ...flow, nodes })
  }

  return (
    <div style={{ height: 560, border: '1px solid #d8dcde', borderRadius: 4 }} data-testid="ivr-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={changeNodes}
        onNodesDelete={(deleted) => deleted.forEach((node) => onDeleteNode(node.id))}
        onEdgesDelete={deleteEdges}
        onConnect={connect}
        onNodeClick={(_event, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(null)}
        fitView
        minZoom={0.3}
        ariaLabelConfig={{
          'controls.ariaLabel': t('ivr.graph.controls'),
          'controls.zoomIn.ariaLabel': t('ivr.graph.zoom_in'),
          'controls.zoomOut.ariaLabel': t('ivr.graph.zoom_out'),
          'controls.fitView.ariaLabel': t('ivr.graph.fit_view'),
          'controls.interactive.ariaLabel': t('ivr.graph.lock'),
          'node.a11yDescription.default': t('ivr.graph.node_help'),
          'edge.a11yDescription.default': t('ivr.graph.edge_help'),
        }}
      >
        <Background />
        <Controls />
      </ReactFlow>
    </div>
  )
}

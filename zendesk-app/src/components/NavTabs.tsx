import { useRef, type KeyboardEvent } from 'react'

export interface INavTab {
  id: string
  label: string
}

/**
 * Renders a WAI-ARIA tab list. Tab focuses the selected tab, and the arrow keys, Home and
 * End move to another tab and select it. Each panel needs `id="panel-{tab}"`.
 */
export function NavTabs({ tabs, selected, onSelect, label }: { tabs: INavTab[]; selected: string; onSelect: (id: string) => void; label: string }) {
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({})
  const move = (event: KeyboardEvent, index: number) => {
    const targets: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }
    if (!(event.key in targets)) return
    event.preventDefault()
    const next = tabs[(targets[event.key] + tabs.length) % tabs.length]
    onSelect(next.id)
    buttons.current[next.id]?.focus()
  }
  return (
    <div role="tablist" aria-label={label} style={{ display: 'flex', gap: 4, borderBottom: '1px solid #d8dcde' }}>
      {tabs.map((tab, index) => {
        const isSelected = tab.id === selected
        return (
          <button
            key={tab.id}
            ref={(element) => {
              buttons.current[tab.id] = element
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={isSelected}
            aria-controls={`panel-${tab.id}`}
            tabIndex={isSelected ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => move(event, index)}
            style={{
              padding: '8px 12px',
              border: 'none',
              borderBottom: `3px solid ${isSelected ? '#1f73b7' : 'transparent'}`,
              background: 'none',
              color: isSelected ? '#1f73b7' : '#49545c',
              fontWeight: isSelected ? 600 : 400,
              fontSize: 14,
              cursor: 'pointer',
            }}
          >
            {tab.label}
          </button>
        )
      })}
    </div>
  )
}

import { useState } from 'react'
import { Field, Hint, Label, Message, Select } from '@zendeskgarden/react-forms'
import type { BridgeApi } from '../bridge-api'
import { deviceKey, deviceLabel, pickDevice, type AgentDevices } from '../devices-api'
import { useI18n } from '../i18n'

export interface IDevicePickerProps {
  api: BridgeApi
  value: AgentDevices
  onSaved: (devices: AgentDevices) => void
  isDisabled?: boolean
}

/** Picks the device the bridge rings for this agent, and stores the choice on the bridge at once. */
export function DevicePicker({ api, value, onSaved, isDisabled = false }: IDevicePickerProps) {
  const { t } = useI18n()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const activeKey = value.active_device ? deviceKey(value.active_device) : ''

  const choose = (key: string) => {
    const device = value.devices.find((item) => deviceKey(item) === key)
    if (!device || key === activeKey) return
    setSaving(true)
    setError(null)
    pickDevice(api, device).then(
      (saved) => {
        setSaving(false)
        onSaved(saved)
      },
      (failure: Error) => {
        setSaving(false)
        setError(failure.message)
      },
    )
  }

  return (
    <Field>
      <Label>{t('device.label')}</Label>
      <Hint>{value.device_chosen ? t('device.hint') : t('device.hint_default')}</Hint>
      <Select value={activeKey} disabled={isDisabled || saving} validation={error ? 'error' : undefined} onChange={(event) => choose(event.target.value)}>
        {activeKey === '' && <option value="">{t('device.none')}</option>}
        {value.devices.map((device) => (
          <option key={deviceKey(device)} value={deviceKey(device)}>
            {deviceLabel(device, t)}
          </option>
        ))}
      </Select>
      {error && <Message validation="error">{t('device.save_failed', { reason: error })}</Message>}
    </Field>
  )
}

// Camrelizumab.Safety in Azure: Functions on Flex Consumption, identity-only storage, Event Grid into the blob trigger,
// Key Vault for the SMTP password, Log Analytics and Application Insights. Deployed to one resource group.
targetScope = 'resourceGroup'

import { names, deadLetterContainer } from 'names.bicep'

@description('Short name used in every resource name, e.g. camsafety.')
@minLength(3)
@maxLength(11)
param name string

@description('Environment suffix, e.g. prod or test.')
@maxLength(5)
param environment string

@description('Azure region; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Object id of the Entra ID group of DSMB members: the only readers of closed (by-arm) reports.')
param dsmbPrincipalId string

@description('Object id of the Entra ID group of the study team, readers of open (pooled) reports; empty for none.')
param openReportReaderPrincipalId string = ''

@description('Alert recipients by role (Mail__Recipients__<role>__<n>).')
param safetyPhysicianEmails array
param dsmbEmails array
param dataManagerEmails array

@description('Who receives alerts nobody acknowledged in time (Mail__Recipients__escalation__<n>).')
param escalationEmails array

@description('Sender address of alerts and summaries.')
param mailFrom string

@description('SMTP relay (STARTTLS on the given port) and its account.')
param smtpHost string
param smtpPort int = 587
param smtpUserName string

@description('SMTP password, stored in Key Vault when writeSmtpPassword is true.')
@secure()
param smtpPassword string

@description('Write smtpPassword to Key Vault; false leaves the stored secret as it is (a redeployment without SMTP_PASSWORD).')
param writeSmtpPassword bool

@description('NCRONTAB schedules (UTC) of the two timers.')
param evaluateStoppingRulesSchedule string = '0 0 * * * *'
param publishDsmbSummarySchedule string = '0 0 6 * * 1'

@description('NCRONTAB schedule (UTC) of the inbox reconciliation, which ingests what the blob trigger missed.')
param reconcileInboxSchedule string = '0 30 * * * *'

@description('NCRONTAB schedule (UTC) of the outbox delivery, which sends every alert and email the other functions reserved.')
param deliverOutboxSchedule string = '*/15 * * * * *'

@description('Days raw exports stay immutable in ae-archive.')
param archiveRetentionDays int = 3650

@description('True once the ae-archive retention policy is locked (README "Deploy"): a locked policy is never PUT again, which Azure would refuse.')
param archivePolicyLocked bool = false

@description('Changes the Key Vault name; set it when a re-created resource group would collide with a deleted vault kept by purge protection.')
@maxLength(12)
param keyVaultSuffix string = ''

@description('Recover the soft-deleted vault of the same name instead of creating one (README "Deploy", Key Vault).')
param keyVaultRecover bool = false

@description('Object id of the Entra ID group of data managers: write ae-inbox, read ingest-reports and ae-quarantine; empty for none.')
param dataManagerPrincipalId string = ''

@description('Object id of the Entra ID group of operators, who run ack, deletions confirm, rules recompute and report; empty for none.')
param operatorPrincipalId string = ''

@description('Flex Consumption scale limits.')
param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048

var resourceNames = names(name, environment, resourceGroup().id, keyVaultSuffix)
var storageName = resourceNames.storage
var deploymentContainerName = 'app-package'
var vaultName = resourceNames.vault
var tags = {
  application: 'Camrelizumab.Safety'
  environment: environment
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: resourceNames.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: '${name}-${environment}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageName
    location: location
    tags: tags
    archiveRetentionDays: archiveRetentionDays
    archivePolicyLocked: archivePolicyLocked
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainer
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: vaultName
    location: location
    tags: tags
    smtpPassword: smtpPassword
    writeSmtpPassword: writeSmtpPassword
    recover: keyVaultRecover
  }
}

var recipientSettings = union(
  toObject(range(0, length(safetyPhysicianEmails)), i => 'Mail__Recipients__safetyPhysicians__${i}', i => string(safetyPhysicianEmails[i])),
  toObject(range(0, length(dsmbEmails)), i => 'Mail__Recipients__dsmb__${i}', i => string(dsmbEmails[i])),
  toObject(range(0, length(dataManagerEmails)), i => 'Mail__Recipients__dataManagers__${i}', i => string(dataManagerEmails[i])),
  toObject(range(0, length(escalationEmails)), i => 'Mail__Recipients__escalation__${i}', i => string(escalationEmails[i]))
)

// The app starts only once its roles exist: before that, its storage connections fail and its Key Vault reference
// resolves to the reference text itself (cached for up to 24 hours).
module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  dependsOn: [vault, roles]
  params: {
    name: resourceNames.functionApp
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: vaultName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    pipelineSettings: union(
      {
        EvaluateStoppingRulesSchedule: evaluateStoppingRulesSchedule
        PublishDsmbSummarySchedule: publishDsmbSummarySchedule
        ReconcileInboxSchedule: reconcileInboxSchedule
        DeliverOutboxSchedule: deliverOutboxSchedule
        Mail__From: mailFrom
        Mail__Smtp__Host: smtpHost
        Mail__Smtp__Port: string(smtpPort)
        Mail__Smtp__Security: 'StartTls'
        Mail__Smtp__UserName: smtpUserName
      },
      recipientSettings
    )
  }
}

module events 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  dependsOn: [storage]
  params: {
    name: resourceNames.eventGridTopic
    storageAccountName: storageName
    location: location
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  dependsOn: [storage, vault, monitoring, identity, events]
  params: {
    storageAccountName: storageName
    keyVaultName: vaultName
    applicationInsightsName: resourceNames.insights
    appIdentityName: resourceNames.identity
    eventGridTopicName: resourceNames.eventGridTopic
    deadLetterContainerName: deadLetterContainer
    dsmbPrincipalId: dsmbPrincipalId
    openReportReaderPrincipalId: openReportReaderPrincipalId
    dataManagerPrincipalId: dataManagerPrincipalId
    operatorPrincipalId: operatorPrincipalId
  }
}

output functionAppName string = app.outputs.name
output storageAccountName string = storage.outputs.name
output keyVaultName string = vault.outputs.name
output eventGridTopicName string = events.outputs.topicName
output appSettingNames array = app.outputs.appSettingNames

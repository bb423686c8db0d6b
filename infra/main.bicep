// Camrelizumab.Safety in Azure: Functions on Flex Consumption, identity-only storage, Event Grid into the blob trigger,
// Key Vault for the SMTP password, Log Analytics and Application Insights. Deployed to one resource group.
targetScope = 'resourceGroup'

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

@description('SMTP password, stored in Key Vault.')
@secure()
param smtpPassword string

@description('NCRONTAB schedules (UTC) of the two timers.')
param evaluateStoppingRulesSchedule string = '0 0 * * * *'
param publishDsmbSummarySchedule string = '0 0 6 * * 1'

@description('Days raw exports stay immutable in ae-archive.')
param archiveRetentionDays int = 3650

@description('Flex Consumption scale limits.')
param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048

@description('Second deployment step: subscribe ae-inbox BlobCreated events to the blob trigger (needs blobExtensionWebhookUrl).')
param deployEventSubscription bool = false

@description('https://<app host>/runtime/webhooks/blobs?functionName=Host.Functions.IngestAdverseEventExport&code=<blobs_extension key>')
@secure()
param blobExtensionWebhookUrl string = ''

var baseName = '${name}-${environment}'
var storageName = toLower(take('st${name}${environment}${uniqueString(resourceGroup().id)}', 24))
var deploymentContainerName = 'app-package'
var identityName = 'id-${baseName}'
var vaultName = take('kv-${baseName}-${uniqueString(resourceGroup().id)}', 24)
var insightsName = 'appi-${baseName}'
var tags = {
  application: 'Camrelizumab.Safety'
  environment: environment
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: baseName
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
    deploymentContainerName: deploymentContainerName
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: vaultName
    location: location
    tags: tags
    smtpPassword: smtpPassword
  }
}

var recipientSettings = union(
  toObject(range(0, length(safetyPhysicianEmails)), i => 'Mail__Recipients__safetyPhysicians__${i}', i => string(safetyPhysicianEmails[i])),
  toObject(range(0, length(dsmbEmails)), i => 'Mail__Recipients__dsmb__${i}', i => string(dsmbEmails[i])),
  toObject(range(0, length(dataManagerEmails)), i => 'Mail__Recipients__dataManagers__${i}', i => string(dataManagerEmails[i])),
  toObject(range(0, length(escalationEmails)), i => 'Mail__Recipients__escalation__${i}', i => string(escalationEmails[i]))
)

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  dependsOn: [vault]
  params: {
    name: 'func-${baseName}'
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

module roles 'modules/roles.bicep' = {
  name: 'roles'
  dependsOn: [storage, vault, monitoring, identity]
  params: {
    storageAccountName: storageName
    keyVaultName: vaultName
    applicationInsightsName: insightsName
    appIdentityName: identityName
    dsmbPrincipalId: dsmbPrincipalId
    openReportReaderPrincipalId: openReportReaderPrincipalId
  }
}

module events 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  dependsOn: [storage, app]
  params: {
    storageAccountName: storageName
    location: location
    tags: tags
    deployEventSubscription: deployEventSubscription
    blobExtensionWebhookUrl: blobExtensionWebhookUrl
  }
}

output functionAppName string = app.outputs.name
output storageAccountName string = storage.outputs.name
output keyVaultName string = vault.outputs.name
output eventGridTopicName string = events.outputs.topicName
output appSettingNames array = app.outputs.appSettingNames
